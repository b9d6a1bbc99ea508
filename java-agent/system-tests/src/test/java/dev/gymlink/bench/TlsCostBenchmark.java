package dev.gymlink.bench;

import dev.gymlink.env.remote.ConnectionSecurity;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.testkit.PythonEnvServer;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What TLS and a bearer token cost: CartPole-v1 steps/s through {@link RemoteEnv} (one env) and
 * {@link RemoteVectorEnv} x64 against a plaintext server and a TLS server requiring a token, both
 * {@code python -m gymlink_server} subprocesses on loopback, measured alternately in one run
 * (plaintext, TLS, plaintext, TLS, ...; the best stretch of each counts, so that a noisy neighbour
 * hurts both sides alike): {@code scripts/bench-remote.sh --tls [seconds-per-stretch] [rounds]}.
 */
public final class TlsCostBenchmark {

    private static final String ENV_ID = "CartPole-v1";
    private static final int VECTOR = 64;

    private TlsCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Integer[] actions = new SplittableRandom(0).ints(1 << 16, 0, 2).boxed().toArray(Integer[]::new);
        Path tls = Files.createTempDirectory("gymlink-tls-bench");
        PythonEnvServer.devCerts(tls, "127.0.0.1");
        String loadBefore = RemoteEnvBenchmark.loadAverage();
        double[][] best = new double[2][2];
        try (PythonEnvServer plain = PythonEnvServer.start();
                PythonEnvServer secure = PythonEnvServer.start("--tls-cert", tls.resolve("server.crt").toString(),
                        "--tls-key", tls.resolve("server.key").toString(),
                        "--token-file", tls.resolve("tokens").toString())) {
            ManagedChannel[] channels = {
                GymlinkChannels.forTarget(plain.target()),
                GymlinkChannels.forTarget(secure.target(), ConnectionSecurity.tlsTrusting(tls.resolve("ca.crt"))
                        .withTokenFile(tls.resolve("tokens")))
            };
            EnvOptions options = EnvOptions.of(ENV_ID).withSeed(0);
            try {
                for (int round = 0; round <= rounds; round++) {
                    double stretch = round == 0 ? 1.0 : seconds; // round 0 warms up the JIT and both servers
                    for (int side = 0; side < 2; side++) {
                        try (RemoteEnv env = RemoteEnv.connect(channels[side], options)) {
                            double[] run = RemoteEnvBenchmark.singleEnvStretch(env, actions, stretch);
                            best[side][0] = round == 0 ? 0 : Math.max(best[side][0], run[0] / run[1]);
                        }
                        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channels[side], options, VECTOR)) {
                            double[] run = RemoteEnvBenchmark.vectorEnvStretch(env, actions, stretch);
                            best[side][1] = round == 0 ? 0 : Math.max(best[side][1], run[0] / run[1]);
                        }
                    }
                }
            } finally {
                for (ManagedChannel channel : channels) {
                    GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s through the Java client on loopback: plaintext vs TLS + bearer token;"
                + " best of %d stretches of %.3g s each%n", ENV_ID, rounds, seconds);
        System.out.printf(Locale.ROOT, "Java %s; %d cores; load average %s before, %s after%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadBefore,
                RemoteEnvBenchmark.loadAverage());
        System.out.printf(Locale.ROOT, "%-24s %16s %16s %12s%n", "", "plaintext", "TLS + token", "TLS / plain");
        String[] names = {"RemoteEnv single env", "RemoteVectorEnv x" + VECTOR};
        String[] units = {"steps/s", "env-steps/s"};
        for (int figure = 0; figure < 2; figure++) {
            System.out.printf(Locale.ROOT, "%-24s %,16.0f %,16.0f %12.2f   %s%n", names[figure], best[0][figure],
                    best[1][figure], best[1][figure] / best[0][figure], units[figure]);
        }
    }
}

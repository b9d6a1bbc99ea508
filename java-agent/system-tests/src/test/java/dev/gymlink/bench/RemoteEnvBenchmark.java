package dev.gymlink.bench;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.testkit.PythonEnvServer;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * CartPole-v1 throughput through the Java client against a real env server, next to in-process
 * Gymnasium, measured in one run on one machine: {@code scripts/bench-remote.sh [seconds]}.
 *
 * <p>The server is {@code python -m gymlink_server --port 0} in its own process (see
 * {@link PythonEnvServer}), so the figures include both gRPC stacks, the codec on each side and the
 * loopback round trip. Each figure is one timed stretch after an untimed warm-up (JIT on this side,
 * session set-up on the other): a single {@link RemoteEnv} stepped with random actions and reset
 * when an episode ends, as a trainer uses it, and {@link RemoteVectorEnv}s of 8, 64 and 256 copies (one
 * message per batch each way, same-step autoreset), counted in env-steps. In-process Gymnasium is
 * {@code gym.make("CartPole-v1")} stepped the same way in a {@code python3} subprocess.
 *
 * <p>Client CPU is this JVM's CPU time over the wall time of the stretch; with lockstep stepping
 * the client and the server mostly wait for each other, so neither should be near 100%.
 */
public final class RemoteEnvBenchmark {

    private static final String ENV_ID = "CartPole-v1";
    private static final int ACTIONS = 1 << 16;
    private static final double WARM_UP_SECONDS = 1.0;
    private static final List<Integer> VECTOR_SIZES = List.of(8, 64, 256);

    private RemoteEnvBenchmark() {}

    private record Figure(String name, double rate, String unit, double clientCpuShare) {}

    /**
     * Runs the figures; {@code args}: seconds per figure (3), then optionally the grpcio lockstep
     * floor in round trips/s measured just before by {@code bench_server.py --floor-only}, which
     * adds the {@code summary:} line.
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be positive, got " + args[0]);
        }
        double floor = args.length > 1 ? Double.parseDouble(args[1]) : Double.NaN;
        String python = PythonEnvServer.python();
        Integer[] actions = new SplittableRandom(0).ints(ACTIONS, 0, 2).boxed().toArray(Integer[]::new);
        String loadBefore = loadAverage();

        GymnasiumCartPoleRate inProcess = GymnasiumCartPoleRate.measure(python, seconds);
        double baseline = inProcess.gymMake();
        List<Figure> figures = new ArrayList<>();
        String target;
        try (PythonEnvServer server = PythonEnvServer.start()) {
            target = server.target();
            ManagedChannel channel = server.newChannel();
            try {
                EnvOptions options = EnvOptions.of(ENV_ID).withSeed(0);
                try (RemoteEnv env = RemoteEnv.connect(channel, options)) {
                    singleEnvStretch(env, actions, WARM_UP_SECONDS);
                    figures.add(timed("RemoteEnv single env", "steps/s",
                            () -> singleEnvStretch(env, actions, seconds)));
                }
                for (int numEnvs : VECTOR_SIZES) {
                    try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, options, numEnvs)) {
                        vectorEnvStretch(env, actions, WARM_UP_SECONDS);
                        figures.add(timed("RemoteVectorEnv x" + numEnvs, "env-steps/s",
                                () -> vectorEnvStretch(env, actions, seconds)));
                    }
                }
            } finally {
                GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
            }
        }

        System.out.printf(Locale.ROOT, "%s through the Java client, server %s, %.3g s per figure%n",
                ENV_ID, target, seconds);
        System.out.printf(Locale.ROOT, "Java %s, %s; Gymnasium %s; %d cores; load average %s before, %s after%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), inProcess.gymnasiumVersion(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.printf(Locale.ROOT, "%-38s %14s %-12s %12s %11s%n", "", "rate", "unit", "/ in-process", "client CPU");
        System.out.printf(Locale.ROOT, "%-38s %,14.0f %-12s %12s %11s%n",
                "in-process gym.make(\"" + ENV_ID + "\")", baseline, "steps/s", "1.00", "-");
        if (!Double.isNaN(floor)) {
            System.out.printf(Locale.ROOT, "%-38s %,14.0f %-12s %12s %11s%n", "grpcio lockstep floor (Python client)",
                    floor, "trips/s", "-", "-");
        }
        for (Figure figure : figures) {
            System.out.printf(Locale.ROOT, "%-38s %,14.0f %-12s %12.2f %10.0f%%%n", figure.name(), figure.rate(),
                    figure.unit(), figure.rate() / baseline, 100 * figure.clientCpuShare());
        }
        if (!Double.isNaN(floor)) {
            double single = figures.get(0).rate();
            System.out.printf(Locale.ROOT, "summary: single_steps_per_s=%.0f floor_trips_per_s=%.0f single_vs_floor=%.2f"
                    + " x64_vs_inprocess=%.2f x256_vs_inprocess=%.2f%n", single, floor, single / floor,
                    rateOf(figures, "x64") / baseline, rateOf(figures, "x256") / baseline);
        }
    }

    private static double rateOf(List<Figure> figures, String suffix) {
        return figures.stream().filter(f -> f.name().endsWith(suffix)).findFirst().orElseThrow().rate();
    }

    @FunctionalInterface
    private interface Stretch {
        /** Runs one timed stretch and returns {steps, wall seconds}. */
        double[] run() throws EnvException;
    }

    private static Figure timed(String name, String unit, Stretch stretch) throws EnvException {
        long cpuBefore = processCpuNanos();
        double[] stepsAndSeconds = stretch.run();
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        return new Figure(name, stepsAndSeconds[0] / stepsAndSeconds[1], unit, cpuSeconds / stepsAndSeconds[1]);
    }

    static double[] singleEnvStretch(RemoteEnv env, Integer[] actions, double seconds) throws EnvException {
        env.reset();
        long steps = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                StepResult result = env.step(actions[(int) (steps++ & (ACTIONS - 1))]);
                if (result.done()) {
                    env.reset();
                }
            }
            now = System.nanoTime();
        } while (now < deadline);
        return new double[] {steps, (now - start) / 1e9};
    }

    static double[] vectorEnvStretch(RemoteVectorEnv env, Integer[] actions, double seconds)
            throws EnvException {
        int numEnvs = env.numEnvs();
        env.reset();
        Object[] batch = new Object[numEnvs];
        long steps = 0;
        double rewardSum = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                for (int c = 0; c < numEnvs; c++) {
                    batch[c] = actions[(int) (steps++ & (ACTIONS - 1))];
                }
                VectorStepResult result = env.step(batch);
                rewardSum += result.rewards()[0];
            }
            now = System.nanoTime();
        } while (now < deadline);
        if (rewardSum <= 0) {
            throw new IllegalStateException("CartPole paid no reward over " + steps + " env-steps");
        }
        return new double[] {steps, (now - start) / 1e9};
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The 1, 5 and 15 minute load averages (Linux), else the JVM's 1 minute figure. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, 3));
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * CartPole-v1 throughput through the Java client against a real env server, next to in-process
 * Gymnasium and the grpcio lockstep floor, measured in one run on one machine:
 * {@code scripts/bench-remote.sh [seconds]}.
 *
 * <p>The server is {@code python -m gymlink_server} in its own process (see {@link PythonEnvServer}),
 * so the figures include both gRPC stacks, the codec on each side and the round trip. The single
 * {@link RemoteEnv} is stepped with random actions and reset when an episode ends, as a trainer uses
 * it, in {@value #SINGLE_ROUNDS} rounds after a warm-up long enough for the JIT to finish with the
 * step path; each round measures, back to back, the grpcio lockstep floor ({@code bench_server.py
 * --floor-only}: the Python client against a server that answers with a fixed message), the env over
 * TCP (loopback) and the env over a unix socket ({@code --unix-socket}), so that a change in the
 * machine's load between them moves all three alike. The ratios are medians of the per-round
 * ratios. Then {@link RemoteVectorEnv}s of 8, 64 and 256 copies (one message per batch each way,
 * same-step autoreset) over TCP, and x64 over the unix socket, counted in env-steps, one timed
 * stretch each after a warm-up.
 * In-process Gymnasium is {@code gym.make("CartPole-v1")} stepped the same way in a {@code python3}
 * subprocess.
 *
 * <p>Client CPU is this JVM's CPU time over the wall time of the stretch; with lockstep stepping
 * the client and the server mostly wait for each other, so neither should be near 100%.
 */
public final class RemoteEnvBenchmark {

    private static final String ENV_ID = "CartPole-v1";
    private static final int ACTIONS = 1 << 16;
    private static final double WARM_UP_SECONDS = 1.0;
    /** Long enough for C2 to compile the whole step path (gRPC, netty, protobuf) on a busy 2-core machine. */
    private static final double SINGLE_WARM_UP_SECONDS = 4.0;
    private static final int SINGLE_ROUNDS = 5;
    private static final List<Integer> VECTOR_SIZES = List.of(8, 64, 256);

    private RemoteEnvBenchmark() {}

    private record Figure(String name, double rate, String unit, double clientCpuShare, double seconds) {}

    /**
     * One round of the single-env comparison: rates in steps (trips) per second, CPU in seconds per
     * step of this JVM and of the server process (NaN where the OS does not say).
     */
    private record SingleRound(double floor, double tcp, double unixSocket, double tcpClientCpu,
            double tcpServerCpu, double socketClientCpu, double socketServerCpu) {}

    /**
     * Runs the figures; {@code args}: seconds per figure (3), then optionally the path of
     * {@code bench_server.py}, whose lockstep floor is then measured in each single-env round and
     * which adds the {@code summary:} line.
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be positive, got " + args[0]);
        }
        Optional<Path> floorScript = args.length > 1 ? Optional.of(Path.of(args[1])) : Optional.empty();
        String python = PythonEnvServer.python();
        Integer[] actions = new SplittableRandom(0).ints(ACTIONS, 0, 2).boxed().toArray(Integer[]::new);
        String loadBefore = loadAverage();

        GymnasiumCartPoleRate inProcess = GymnasiumCartPoleRate.measure(python, seconds);
        double baseline = inProcess.gymMake();
        List<Figure> figures = new ArrayList<>();
        List<SingleRound> rounds = new ArrayList<>();
        String target;
        Path socketDirectory = Files.createTempDirectory("gymlink-bench");
        try (PythonEnvServer server = PythonEnvServer.start();
                PythonEnvServer socketServer = PythonEnvServer.startOnUnixSocket(socketDirectory.resolve("env.sock"))) {
            target = server.target();
            ManagedChannel channel = server.newChannel();
            ManagedChannel socketChannel = socketServer.newChannel();
            try {
                EnvOptions options = EnvOptions.of(ENV_ID).withSeed(0);
                try (RemoteEnv env = RemoteEnv.connect(channel, options);
                        RemoteEnv socketEnv = RemoteEnv.connect(socketChannel, options)) {
                    singleEnvStretch(env, actions, SINGLE_WARM_UP_SECONDS);
                    List<Figure> tcpFigures = new ArrayList<>();
                    List<Figure> socketFigures = new ArrayList<>();
                    singleEnvStretch(socketEnv, actions, WARM_UP_SECONDS);
                    for (int round = 0; round < SINGLE_ROUNDS; round++) {
                        double floor = floorScript.isPresent() ? lockstepFloor(python, floorScript.get(), seconds)
                                : Double.NaN;
                        double serverBefore = cpuSeconds(server);
                        Figure tcp = timed("RemoteEnv single env", "steps/s",
                                () -> singleEnvStretch(env, actions, seconds));
                        double tcpServer = cpuSeconds(server) - serverBefore;
                        serverBefore = cpuSeconds(socketServer);
                        Figure unixSocket = timed("RemoteEnv single env, unix socket", "steps/s",
                                () -> singleEnvStretch(socketEnv, actions, seconds));
                        double socketServerCpu = cpuSeconds(socketServer) - serverBefore;
                        rounds.add(new SingleRound(floor, tcp.rate(), unixSocket.rate(),
                                tcp.clientCpuShare() / tcp.rate(), tcpServer / (tcp.rate() * tcp.seconds()),
                                unixSocket.clientCpuShare() / unixSocket.rate(),
                                socketServerCpu / (unixSocket.rate() * unixSocket.seconds())));
                        tcpFigures.add(tcp);
                        socketFigures.add(unixSocket);
                    }
                    figures.add(medianFigure(tcpFigures));
                    figures.add(medianFigure(socketFigures));
                }
                for (int numEnvs : VECTOR_SIZES) {
                    try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, options, numEnvs)) {
                        vectorEnvStretch(env, actions, WARM_UP_SECONDS);
                        figures.add(timed("RemoteVectorEnv x" + numEnvs, "env-steps/s",
                                () -> vectorEnvStretch(env, actions, seconds)));
                    }
                }
                try (RemoteVectorEnv env = RemoteVectorEnv.connect(socketChannel, options, 64)) {
                    vectorEnvStretch(env, actions, WARM_UP_SECONDS);
                    figures.add(timed("RemoteVectorEnv x64, unix socket", "env-steps/s",
                            () -> vectorEnvStretch(env, actions, seconds)));
                }
            } finally {
                GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
                GymlinkChannels.shutdown(socketChannel, Duration.ofSeconds(5));
            }
        } finally {
            Files.deleteIfExists(socketDirectory.resolve("env.sock"));
            Files.deleteIfExists(socketDirectory);
        }

        System.out.printf(Locale.ROOT, "%s through the Java client, server %s, %.3g s per figure%n",
                ENV_ID, target, seconds);
        System.out.printf(Locale.ROOT, "Java %s, %s; Gymnasium %s; %d cores; load average %s before, %s after%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), inProcess.gymnasiumVersion(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.printf(Locale.ROOT, "%-38s %14s %-12s %12s %11s%n", "", "rate", "unit", "/ in-process", "client CPU");
        System.out.printf(Locale.ROOT, "%-38s %,14.0f %-12s %12s %11s%n",
                "in-process gym.make(\"" + ENV_ID + "\")", baseline, "steps/s", "1.00", "-");
        double floor = median(rounds, SingleRound::floor);
        if (floorScript.isPresent()) {
            System.out.printf(Locale.ROOT, "%-38s %,14.0f %-12s %12s %11s%n", "grpcio lockstep floor (Python client)",
                    floor, "trips/s", "-", "-");
        }
        for (Figure figure : figures) {
            System.out.printf(Locale.ROOT, "%-38s %,14.0f %-12s %12.2f %10.0f%%%n", figure.name(), figure.rate(),
                    figure.unit(), figure.rate() / baseline, 100 * figure.clientCpuShare());
        }
        System.out.printf(Locale.ROOT, "single env per round (steps/s): floor %s, TCP %s, unix socket %s%n",
                roundRates(rounds, SingleRound::floor), roundRates(rounds, SingleRound::tcp),
                roundRates(rounds, SingleRound::unixSocket));
        System.out.printf(Locale.ROOT, "single env CPU per step (medians): TCP client %.0f us, server %.0f us;"
                + " unix socket client %.0f us, server %.0f us%n", 1e6 * median(rounds, SingleRound::tcpClientCpu),
                1e6 * median(rounds, SingleRound::tcpServerCpu), 1e6 * median(rounds, SingleRound::socketClientCpu),
                1e6 * median(rounds, SingleRound::socketServerCpu));
        if (floorScript.isPresent()) {
            System.out.printf(Locale.ROOT, "summary: single_steps_per_s=%.0f floor_trips_per_s=%.0f single_vs_floor=%.2f"
                    + " x64_vs_inprocess=%.2f x256_vs_inprocess=%.2f uds_vs_tcp=%.2f%n",
                    median(rounds, SingleRound::tcp), floor, median(rounds, r -> r.tcp() / r.floor()),
                    rateOf(figures, "x64") / baseline, rateOf(figures, "x256") / baseline,
                    median(rounds, r -> r.unixSocket() / r.tcp()));
        }
    }

    /** The grpcio lockstep floor in round trips/s: {@code bench_server.py --floor-only} in its own processes. */
    private static double lockstepFloor(String python, Path script, double seconds)
            throws IOException, InterruptedException {
        Path source = script.toAbsolutePath().getParent().getParent().resolve("src");
        ProcessBuilder builder = new ProcessBuilder(python, script.toString(), "--floor-only", "--seconds",
                Double.toString(seconds)).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().merge("PYTHONPATH", source.toString(), (old, added) -> added + ":" + old);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0 || !printed.startsWith("floor_trips_per_s=")) {
            throw new IllegalStateException(script + " --floor-only failed (exit " + process.exitValue() + "): "
                    + printed);
        }
        return Double.parseDouble(printed.substring("floor_trips_per_s=".length()));
    }

    private static double cpuSeconds(PythonEnvServer server) {
        return server.cpuTime().map(cpu -> cpu.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** The round with the median rate (its client CPU goes with it). */
    private static Figure medianFigure(List<Figure> rounds) {
        List<Figure> sorted = rounds.stream().sorted(java.util.Comparator.comparingDouble(Figure::rate)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double median(List<SingleRound> rounds, ToDoubleFunction<SingleRound> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String roundRates(List<SingleRound> rounds, ToDoubleFunction<SingleRound> value) {
        return rounds.stream().map(r -> String.format(Locale.ROOT, "%.0f", value.applyAsDouble(r)))
                .collect(Collectors.joining(" / "));
    }

    private static double rateOf(List<Figure> figures, String suffix) {
        return figures.stream().filter(f -> f.name().endsWith(" " + suffix)).findFirst().orElseThrow().rate();
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
        return new Figure(name, stepsAndSeconds[0] / stepsAndSeconds[1], unit, cpuSeconds / stepsAndSeconds[1],
                stepsAndSeconds[1]);
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

package dev.gymlink.bench;

import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Milliseconds per SAC gradient step ({@link SacAgent#learn()}: target actions, both critics, the
 * actor through the critics, alpha, the target blends) on the Java and ND4J network backends, for
 * hidden 64-64, 128-128 and 256-256 at batch 256, with HalfCheetah's sizes (17 observations, 6
 * actions), measured in one run:
 *
 * <pre>{@code
 * java -cp "$(scripts/system-tests-classpath.sh -bench)" dev.gymlink.bench.SacBackendBenchmark
 * }</pre>
 *
 * ND4J runs on one thread, like the Java backend and SB3's torch in {@code bench-sac-vs-sb3.sh},
 * unless {@code OMP_NUM_THREADS} is set (see {@code Nd4jDenseNetwork}). Arguments: hidden widths
 * (default {@code 64 128 256}), {@code batch=N} (default 256), {@code rounds=N} (default 5).
 *
 * <p>Each agent learns from the same 5,000 random transitions; rounds alternate the backends so
 * that a load change on the shared machine hits both alike, and each cell is the median round. A
 * second column per backend is the cost of acting on one observation ({@link SacAgent#explore}),
 * which a training run pays once per env step and ND4J pays in fixed costs per native op. The last
 * line, {@code summary: ...}, gives java/nd4j ratios of the gradient step (above 1: ND4J is faster).
 */
public final class SacBackendBenchmark {

    private static final int OBSERVATIONS = 17;
    private static final Box ACTIONS = new Box(new int[] {6}, DType.FLOAT32, filled(-1), filled(1));
    private static final int TRANSITIONS = 5_000;
    private static final double ROUND_SECONDS = 1.0;
    private static final List<NetworkBackend> BACKENDS = List.of(NetworkBackend.JAVA, NetworkBackend.ND4J);

    private SacBackendBenchmark() {}

    private static double[] filled(double value) {
        double[] values = new double[6];
        Arrays.fill(values, value);
        return values;
    }

    public static void main(String[] args) {
        List<Integer> widths = new ArrayList<>();
        int batch = 256;
        int rounds = 5;
        for (String arg : args) {
            if (arg.startsWith("batch=")) {
                batch = Integer.parseInt(arg.substring("batch=".length()));
            } else if (arg.startsWith("rounds=")) {
                rounds = Integer.parseInt(arg.substring("rounds=".length()));
            } else {
                widths.add(Integer.parseInt(arg));
            }
        }
        if (widths.isEmpty()) {
            widths = List.of(64, 128, 256);
        }
        System.out.printf(Locale.ROOT, "java %s, %d cores, OMP_NUM_THREADS=%s, load average at start %s%n",
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), loadAverage());
        System.out.printf(Locale.ROOT, "ms per SAC gradient step, batch %d, %d observations, %d actions, median of %d"
                + " rounds%n%n", batch, OBSERVATIONS, ACTIONS.size(), rounds);

        Map<Integer, Map<NetworkBackend, SacAgent>> agents = new LinkedHashMap<>();
        for (int width : widths) {
            Map<NetworkBackend, SacAgent> byBackend = new LinkedHashMap<>();
            for (NetworkBackend backend : BACKENDS) {
                SacAgent agent = agent(width, backend, batch);
                for (int step = 0; step < 20; step++) {
                    agent.learn(); // JIT and native warm-up, buffers grown
                }
                byBackend.put(backend, agent);
            }
            agents.put(width, byBackend);
        }
        Map<Integer, Map<NetworkBackend, List<Double>>> samples = new LinkedHashMap<>();
        Map<Integer, Map<NetworkBackend, List<Double>>> actSamples = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int width : widths) {
                for (NetworkBackend backend : round % 2 == 0 ? BACKENDS : List.of(BACKENDS.get(1), BACKENDS.get(0))) {
                    SacAgent agent = agents.get(width).get(backend);
                    samples.computeIfAbsent(width, w -> new LinkedHashMap<>())
                            .computeIfAbsent(backend, b -> new ArrayList<>())
                            .add(msPerStep(agent));
                    actSamples.computeIfAbsent(width, w -> new LinkedHashMap<>())
                            .computeIfAbsent(backend, b -> new ArrayList<>())
                            .add(msPerAction(agent));
                }
            }
        }

        System.out.println("| hidden | java ms/step | nd4j ms/step | java / nd4j | java ms/act | nd4j ms/act | AUTO picks |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        List<String> ratios = new ArrayList<>();
        for (int width : widths) {
            double java = median(samples.get(width).get(NetworkBackend.JAVA));
            double nd4j = median(samples.get(width).get(NetworkBackend.ND4J));
            NetworkBackend auto = SacConfig.defaults().toBuilder().hiddenSizes(List.of(width, width)).batchSize(batch)
                    .build().resolvedBackend();
            System.out.printf(Locale.ROOT, "| %d-%d | %.2f | %.2f | %.2fx | %.3f | %.3f | %s |%n", width, width, java,
                    nd4j, java / nd4j, median(actSamples.get(width).get(NetworkBackend.JAVA)),
                    median(actSamples.get(width).get(NetworkBackend.ND4J)), auto);
            ratios.add(String.format(Locale.ROOT, "%d-%d %.2f/%.2f ms = %.2fx", width, width, java, nd4j, java / nd4j));
        }
        System.out.printf(Locale.ROOT, "%nload average at end %s%n", loadAverage());
        System.out.println("summary: java/nd4j per SAC gradient step at batch " + batch + " (above 1: nd4j faster): "
                + String.join(", ", ratios));
    }

    private static SacAgent agent(int width, NetworkBackend backend, int batch) {
        SacConfig config = SacConfig.defaults().toBuilder().hiddenSizes(List.of(width, width)).backend(backend)
                .batchSize(batch).learningStarts(0).seed(1).build();
        SacAgent agent = SacAgent.create(config, OBSERVATIONS, ACTIONS);
        SplittableRandom rng = new SplittableRandom(7);
        float[] observation = new float[OBSERVATIONS];
        float[] next = new float[OBSERVATIONS];
        float[] action = new float[ACTIONS.size()];
        for (int t = 0; t < TRANSITIONS; t++) {
            fill(rng, observation, 1);
            fill(rng, next, 1);
            fill(rng, action, 1);
            agent.remember(observation, 0, action, 0, (float) rng.nextGaussian(), next, 0, rng.nextInt(100) == 0);
        }
        return agent;
    }

    private static void fill(SplittableRandom rng, float[] values, double bound) {
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) rng.nextDouble(-bound, bound);
        }
    }

    /** One round: gradient steps for about {@link #ROUND_SECONDS}, in milliseconds per step. */
    private static double msPerStep(SacAgent agent) {
        long start = System.nanoTime();
        long deadline = start + (long) (ROUND_SECONDS * 1e9);
        int steps = 0;
        long now;
        do {
            agent.learn();
            steps++;
            now = System.nanoTime();
        } while (now < deadline);
        return (now - start) / 1e6 / steps;
    }

    /** The 1-minute load average, so a reader can tell whether other work shared the cores. */
    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Acting on one observation for about a fifth of a round, in milliseconds per action. */
    private static double msPerAction(SacAgent agent) {
        float[] observation = new float[OBSERVATIONS];
        float[] action = new float[ACTIONS.size()];
        fill(new SplittableRandom(3), observation, 1);
        long start = System.nanoTime();
        long deadline = start + (long) (ROUND_SECONDS * 0.2e9);
        int actions = 0;
        long now;
        do {
            agent.explore(observation, 1, Long.MAX_VALUE / 2, action);
            actions++;
            now = System.nanoTime();
        } while (now < deadline);
        return (now - start) / 1e6 / actions;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

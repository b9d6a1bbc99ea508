package dev.gymlink.bench;

import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.DenseQNetwork;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.agent.run.Rng;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.train.Trainer;
import dev.gymlink.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The DQN agent's figures, measured in one run ({@code scripts/bench-dqn.sh}):
 * <ol>
 *   <li>backend crossover: cost of one DQN update (two forward passes on next states for the
 *       Double-DQN target, one forward+backward pass, one Adam step) and of acting on one state,
 *       for hidden 24/64/128/256/512 (two layers) and batch 32/256, plus 1024 at batch 256, plain
 *       Java vs ND4J;</li>
 *   <li>training throughput on the local CartPole, env steps per second, per backend;</li>
 *   <li>time to solve CartPole with {@code defaults()} over 10 seeds (median, worst);</li>
 *   <li>the tutorial preset's behaviour over 3 seeds, next to that.</li>
 * </ol>
 * Arguments: {@code quick} shortens every phase (for a smoke run); {@code crossover} runs only the first.
 */
public final class DqnBenchmark {

    private static final int[] HIDDEN = {24, 64, 128, 256, 512, 1024};
    private static final int[] BATCH = {32, 256};

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        System.out.printf(Locale.ROOT, "java %s, %d cores, load average at start %s%n%n",
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(), loadAverage());
        crossover(quick);
        if (args.length > 0 && args[0].equals("crossover")) {
            return;
        }
        throughput(quick);
        timeToSolve(quick ? 3 : 10);
        tutorial(quick ? 1 : 3);
        System.out.printf(Locale.ROOT, "load average at end %s%n", loadAverage());
    }

    // ---- 1. crossover -------------------------------------------------------------------------

    private static void crossover(boolean quick) {
        System.out.println("## Backend crossover (median microseconds; update = 2 target forwards + forward/backward + Adam)");
        System.out.println();
        System.out.println("| hidden | batch | java update | nd4j update | java act | nd4j act | faster update | AUTO picks |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---|---|");
        for (int hidden : HIDDEN) {
            for (int batch : BATCH) {
                if (hidden == 1024 && batch == 32 || quick && hidden == 1024) {
                    continue; // the widest row only at batch 256, to keep the run short
                }
                NetworkSpec spec = new NetworkSpec(4, List.of(hidden, hidden), 2, DqnConfig.Loss.HUBER, 1e-3, 1e-8, 10);
                double javaUpdate = updateMicros(spec, batch, DenseQNetwork::new, quick);
                double nd4jUpdate = updateMicros(spec, batch, DqnBenchmark::nd4j, quick);
                double javaAct = actMicros(spec, DenseQNetwork::new, quick);
                double nd4jAct = actMicros(spec, DqnBenchmark::nd4j, quick);
                System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.2f | %.1f | %s (%.1fx) | %s |%n", hidden, batch,
                        javaUpdate, nd4jUpdate, javaAct, nd4jAct, javaUpdate <= nd4jUpdate ? "java" : "nd4j",
                        Math.max(javaUpdate, nd4jUpdate) / Math.min(javaUpdate, nd4jUpdate),
                        QNetworks.resolve(NetworkBackend.AUTO, spec, batch));
            }
        }
        System.out.println();
    }

    private static QNetwork nd4j(NetworkSpec spec, float[] parameters) {
        return QNetworks.create(NetworkBackend.ND4J, spec, parameters);
    }

    private static double updateMicros(NetworkSpec spec, int batch,
            BiFunction<NetworkSpec, float[], QNetwork> backend, boolean quick) {
        Rng rng = new Rng(1);
        float[] initial = spec.initialParameters(DqnConfig.WeightInit.FAN_IN_UNIFORM, rng);
        float[] states = gaussian(rng, batch * spec.inputs());
        float[] next = gaussian(rng, batch * spec.inputs());
        float[] targets = gaussian(rng, batch);
        int[] actions = new int[batch];
        for (int b = 0; b < batch; b++) {
            actions[b] = rng.nextInt(spec.outputs());
        }
        float[] q = new float[batch * spec.outputs()];
        try (QNetwork online = backend.apply(spec, initial); QNetwork target = backend.apply(spec, initial)) {
            return medianMicros(quick, () -> {
                target.predict(next, batch, q);
                online.predict(next, batch, q);
                online.train(states, actions, targets, batch);
            });
        }
    }

    private static double actMicros(NetworkSpec spec, BiFunction<NetworkSpec, float[], QNetwork> backend,
            boolean quick) {
        Rng rng = new Rng(2);
        float[] state = gaussian(rng, spec.inputs());
        float[] q = new float[spec.outputs()];
        try (QNetwork network = backend.apply(spec, spec.initialParameters(DqnConfig.WeightInit.FAN_IN_UNIFORM, rng))) {
            return medianMicros(quick, () -> network.predict(state, 1, q));
        }
    }

    /** Median over rounds of the mean time per call within a round, after a warm-up. */
    private static double medianMicros(boolean quick, Runnable call) {
        double roundNanos = quick ? 50e6 : 250e6;
        long warmupEnd = System.nanoTime() + (long) (quick ? 150e6 : 600e6);
        while (System.nanoTime() < warmupEnd) {
            call.run();
        }
        double[] rounds = new double[quick ? 3 : 7];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            long calls = 0;
            long now;
            do {
                call.run();
                calls++;
                now = System.nanoTime();
            } while (now - start < roundNanos);
            rounds[r] = (now - start) / 1e3 / calls;
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            values[k] = (float) rng.nextGaussian();
        }
        return values;
    }

    // ---- 2. throughput ------------------------------------------------------------------------

    private static void throughput(boolean quick) throws EnvException {
        System.out.println("## Training throughput on the local CartPole (defaults, no evaluation, no early stop)");
        System.out.println();
        System.out.println("| backend | env steps | gradient steps | seconds | env steps/s |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (NetworkBackend backend : new NetworkBackend[] {NetworkBackend.JAVA, NetworkBackend.ND4J}) {
            long steps = backend == NetworkBackend.JAVA ? (quick ? 10_000 : 50_000) : (quick ? 4_000 : 12_000);
            DqnConfig config = DqnConfig.defaults().toBuilder().backend(backend).totalSteps(steps).seed(7).build();
            run(config.withTotalSteps(Math.min(steps, 3_000)), false); // JIT / native warm-up
            long start = System.nanoTime();
            Outcome outcome = run(config, false);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f | %,.0f |%n", backend, outcome.end().envSteps(),
                    outcome.gradientSteps(), seconds, outcome.end().envSteps() / seconds);
        }
        System.out.println();
    }

    // ---- 3. time to solve ---------------------------------------------------------------------

    private static void timeToSolve(int seeds) throws EnvException {
        System.out.println("## Time to solve CartPole-v1 with defaults (greedy 20-episode mean >= 475, 50,000-step budget)");
        System.out.println();
        System.out.println("| seed | solved at env step | wall seconds (incl. evaluations) |");
        System.out.println("|---:|---:|---:|");
        run(DqnConfig.defaults().withSeed(1000), true); // warm-up
        List<Double> times = new ArrayList<>();
        int solved = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            long start = System.nanoTime();
            Outcome outcome = run(DqnConfig.defaults().withSeed(seed), true);
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean ok = outcome.end().solved();
            solved += ok ? 1 : 0;
            times.add(ok ? seconds : Double.POSITIVE_INFINITY);
            System.out.printf(Locale.ROOT, "| %d | %s | %.2f |%n", seed,
                    ok ? String.format(Locale.ROOT, "%,d", outcome.end().solvedAtStep()) : "not solved", seconds);
        }
        times.sort(null);
        List<Double> solvedTimes = times.stream().filter(Double::isFinite).toList();
        System.out.printf(Locale.ROOT, "%nsolved %d/%d; median %.2f s (an unsolved seed counts as infinitely slow);"
                + " worst solved %s%n%n", solved, seeds, median(times),
                solvedTimes.isEmpty() ? "none" : String.format(Locale.ROOT, "%.2f s",
                        solvedTimes.get(solvedTimes.size() - 1)));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    // ---- 4. tutorial --------------------------------------------------------------------------

    private static void tutorial(int seeds) throws EnvException {
        System.out.println("## The tutorial preset (1,000 episodes, greedy 20-episode evaluation every 10,000 steps)");
        System.out.println();
        System.out.println("| seed | env steps | seconds | mean return, last 100 episodes | greedy evaluations | first >= 475 |");
        System.out.println("|---:|---:|---:|---:|---|---|");
        for (int seed = 1; seed <= seeds; seed++) {
            long start = System.nanoTime();
            Outcome outcome = run(DqnConfig.tutorial().withSeed(seed), true);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "| %d | %,d | %.1f | %.1f | %s | %s |%n", seed, outcome.end().envSteps(),
                    seconds, outcome.end().meanReturn100(), outcome.evaluations(),
                    outcome.end().solved() ? String.format(Locale.ROOT, "%,d", outcome.end().solvedAtStep()) : "never");
        }
        System.out.println();
    }

    // ---- shared -------------------------------------------------------------------------------

    private record Outcome(TrainingListener.TrainingEnd end, long gradientSteps, List<Integer> evaluations) {}

    private static Outcome run(DqnConfig config, boolean evaluate) throws EnvException {
        List<Integer> evaluations = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEvaluation(EvaluationEnd evaluation) {
                evaluations.add((int) Math.round(evaluation.meanReturn()));
            }
        };
        try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole());
                CartPole evalEnv = new CartPole();
                DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            Trainer trainer = new Trainer(agent, env, evaluate ? Optional.of(evalEnv) : Optional.empty(),
                    List.of(recorder));
            TrainingListener.TrainingEnd end = trainer.train();
            return new Outcome(end, agent.gradientSteps(), evaluations);
        }
    }

    /** The 1-minute load average, so a reader can tell whether other work shared the cores. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private DqnBenchmark() {}
}

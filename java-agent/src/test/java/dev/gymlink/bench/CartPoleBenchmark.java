package dev.gymlink.bench;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.env.cartpole.CartPole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Steps per second of the Java CartPole next to Gymnasium's in-process CartPole, measured in one
 * run on one machine: {@code scripts/bench-cartpole.sh}.
 *
 * <p>Java: random actions drawn in advance, the Env API as a trainer uses it (reset when an episode
 * ends), a warm-up for the JIT, then several timed rounds; the median round is reported. Python:
 * {@code gym.make("CartPole-v1")} (TimeLimit, OrderEnforcing and PassiveEnvChecker wrappers
 * included, like the Java env's checks and time limit) and the bare {@code CartPoleEnv}, stepped the
 * same way in a {@code python3} subprocess.
 */
public final class CartPoleBenchmark {

    private static final int ACTIONS = 1 << 16;
    private static final double ROUND_SECONDS = 1.0;
    private static final int ROUNDS = 5;
    private static final int PYTHON_STEPS = 200_000;
    private static final int VECTOR_COPIES = 16;

    private static final String PYTHON_SCRIPT = """
            import sys, time
            import numpy as np
            import gymnasium as gym
            from gymnasium.envs.classic_control.cartpole import CartPoleEnv
            steps = int(sys.argv[1])
            actions = np.random.default_rng(0).integers(0, 2, size=steps).tolist()
            def run(env):
                env.reset(seed=0)
                start = time.perf_counter()
                for a in actions:
                    _, _, terminated, truncated, _ = env.step(a)
                    if terminated or truncated:
                        env.reset()
                return steps / (time.perf_counter() - start)
            run(gym.make("CartPole-v1"))  # warm-up
            print(run(gym.make("CartPole-v1")), run(CartPoleEnv()), gym.__version__, np.__version__)
            """;

    private CartPoleBenchmark() {}

    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "python3";
        int[] actions = new SplittableRandom(0).ints(ACTIONS, 0, 2).toArray();
        Integer[] boxed = Arrays.stream(actions).boxed().toArray(Integer[]::new);

        double javaSingle = median(() -> singleEnvRound(actions, boxed));
        double javaVector = median(() -> vectorEnvRound(actions, boxed));
        String[] py = runPython(python);
        double gymMake = Double.parseDouble(py[0]);
        double gymBare = Double.parseDouble(py[1]);

        System.out.printf(Locale.ROOT, "Java %s, %s; Gymnasium %s, numpy %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), py[2], py[3]);
        System.out.printf(Locale.ROOT, "%-52s %14s%n", "CartPole-v1", "steps/s");
        System.out.printf(Locale.ROOT, "%-52s %,14.0f%n", "Java CartPole (Env API, median of " + ROUNDS + " rounds)",
                javaSingle);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f%n", "Java SyncVectorEnv x" + VECTOR_COPIES + " (env-steps)",
                javaVector);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f%n", "Gymnasium gym.make(\"CartPole-v1\") in-process", gymMake);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f%n", "Gymnasium bare CartPoleEnv in-process", gymBare);
        System.out.printf(Locale.ROOT, "ratio Java / gym.make: %.1fx; Java / bare CartPoleEnv: %.1fx%n",
                javaSingle / gymMake, javaSingle / gymBare);
    }

    /** Steps per second of one timed round; a sum of the observations keeps the JIT honest. */
    private static double singleEnvRound(int[] actions, Integer[] boxed) throws EnvException {
        CartPole env = new CartPole();
        env.reset(0);
        long steps = 0;
        double sink = 0;
        long deadline = System.nanoTime() + (long) (ROUND_SECONDS * 1e9);
        long start = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 4096; i++) {
                StepResult result = env.step(boxed[(int) (steps++ & (ACTIONS - 1))]);
                sink += ((Tensor) result.observation()).get(0);
                if (result.done()) {
                    env.reset();
                }
            }
            now = System.nanoTime();
        } while (now < deadline);
        consume(sink);
        return steps / ((now - start) / 1e9);
    }

    private static double vectorEnvRound(int[] actions, Integer[] boxed) throws EnvException {
        try (SyncVectorEnv env = SyncVectorEnv.create(VECTOR_COPIES, i -> new CartPole())) {
            env.reset(0);
            Object[] batch = new Object[VECTOR_COPIES];
            long steps = 0;
            double sink = 0;
            long deadline = System.nanoTime() + (long) (ROUND_SECONDS * 1e9);
            long start = System.nanoTime();
            long now;
            do {
                for (int i = 0; i < 256; i++) {
                    for (int c = 0; c < VECTOR_COPIES; c++) {
                        batch[c] = boxed[(int) (steps++ & (ACTIONS - 1))];
                    }
                    VectorStepResult result = env.step(batch);
                    sink += result.rewards()[0];
                }
                now = System.nanoTime();
            } while (now < deadline);
            consume(sink);
            return steps / ((now - start) / 1e9);
        }
    }

    @FunctionalInterface
    private interface Round {
        double run() throws EnvException;
    }

    /** One untimed warm-up round, then the median of the timed ones. */
    private static double median(Round round) throws EnvException {
        round.run();
        double[] rates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            rates[i] = round.run();
        }
        Arrays.sort(rates);
        return rates[ROUNDS / 2];
    }

    private static String[] runPython(String python) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(python, "-c", PYTHON_SCRIPT, Integer.toString(PYTHON_STEPS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0 || output.isEmpty()) {
            throw new IOException(python + " failed to time Gymnasium's CartPole (exit " + process.exitValue() + ")");
        }
        return output.split("\\s+");
    }

    private static volatile double blackhole;

    private static void consume(double value) {
        blackhole = value;
    }
}

package dev.gymlink.bench;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.env.cartpole.CartPole;
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
    /** Seconds Gymnasium is timed per env: about the 200k steps a round of theirs used to take. */
    private static final double PYTHON_SECONDS = 1.5;
    private static final int VECTOR_COPIES = 16;


    private CartPoleBenchmark() {}

    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "python3";
        int[] actions = new SplittableRandom(0).ints(ACTIONS, 0, 2).toArray();
        Integer[] boxed = Arrays.stream(actions).boxed().toArray(Integer[]::new);

        double javaSingle = median(() -> singleEnvRound(actions, boxed));
        double javaVector = median(() -> vectorEnvRound(actions, boxed));
        GymnasiumCartPoleRate gym = GymnasiumCartPoleRate.measure(python, PYTHON_SECONDS);
        double gymMake = gym.gymMake();
        double gymBare = gym.bareEnv();

        System.out.printf(Locale.ROOT, "Java %s, %s; Gymnasium %s, numpy %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), gym.gymnasiumVersion(),
                gym.numpyVersion());
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

    private static volatile double blackhole;

    private static void consume(double value) {
        blackhole = value;
    }
}

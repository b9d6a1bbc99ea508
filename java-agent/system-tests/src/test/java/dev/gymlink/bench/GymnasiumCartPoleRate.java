package dev.gymlink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The in-process baseline every CartPole benchmark compares against: Gymnasium's CartPole stepped
 * in a Python subprocess with random actions (reset on episode end), after a short warm-up.
 *
 * @param gymMake steps/s of {@code gym.make("CartPole-v1")} (with its wrappers)
 * @param bareEnv steps/s of a bare {@code CartPoleEnv} (no wrappers)
 * @param gymnasiumVersion {@code gymnasium.__version__}
 * @param numpyVersion {@code numpy.__version__}
 */
record GymnasiumCartPoleRate(double gymMake, double bareEnv, String gymnasiumVersion, String numpyVersion) {

    private static final String SCRIPT = """
            import sys, time
            import numpy as np
            import gymnasium as gym
            from gymnasium.envs.classic_control.cartpole import CartPoleEnv
            seconds = float(sys.argv[1])
            actions = np.random.default_rng(0).integers(0, 2, size=4096).tolist()
            def run(env, seconds):
                env.reset(seed=0)
                steps = 0
                start = time.perf_counter()
                deadline = start + seconds
                while True:
                    for a in actions:
                        _, _, terminated, truncated, _ = env.step(a)
                        if terminated or truncated:
                            env.reset()
                    steps += len(actions)
                    now = time.perf_counter()
                    if now >= deadline:
                        return steps / (now - start)
            run(gym.make("CartPole-v1"), 0.5)  # warm-up
            print(run(gym.make("CartPole-v1"), seconds), run(CartPoleEnv(), seconds), gym.__version__, np.__version__)
            """;

    /** Times each env for {@code seconds} with the given interpreter (which needs gymnasium). */
    static GymnasiumCartPoleRate measure(String python, double seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(python, "-c", SCRIPT, Double.toString(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0 || output.isEmpty()) {
            throw new IOException(python + " failed to time Gymnasium's CartPole (exit " + process.exitValue() + ")");
        }
        String[] fields = output.split("\\s+");
        return new GymnasiumCartPoleRate(
                Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), fields[2], fields[3]);
    }
}

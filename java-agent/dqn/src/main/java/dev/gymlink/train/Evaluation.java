package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.Space;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorStepResult;
import java.util.Arrays;
import java.util.List;

/** Greedy play (no exploration, no learning) to measure what an agent has learned. */
public final class Evaluation {

    /** Safety cap for envs without a time limit, so a greedy policy that never fails still ends. */
    public static final int DEFAULT_STEP_CAP = 100_000;

    private Evaluation() {}

    /**
     * Plays {@code episodes} greedy episodes one after the other on one env; episode {@code k}
     * starts from {@code reset(seed + k)}, so the same seed replays the same episodes. The same
     * returns as {@link #evaluate(DqnAgent, VectorEnv, int, long)} on a vector env of any size.
     */
    public static Result evaluate(DqnAgent agent, Env env, int episodes, long seed) throws EnvException {
        return evaluate(agent, oneCopy(env), episodes, seed);
    }

    /**
     * {@code env} as a one-copy vector env for {@link #evaluate(DqnAgent, VectorEnv, int, long)}:
     * with next-step autoreset its copy is reset only by the next round's reset, so the calls env
     * sees are exactly {@code reset(seed + k)} and the episode's steps. Closing it closes env.
     */
    static VectorEnv oneCopy(Env env) {
        return new SyncVectorEnv(List.of(env), AutoresetMode.NEXT_STEP);
    }

    /**
     * Plays {@code episodes} greedy episodes side by side, one per copy of {@code env}, in rounds of
     * {@code env.numEnvs()} when there are more episodes than copies. Episode {@code k} starts from
     * {@code reset(seed + k)} (a round starting at episode {@code f} resets the vector with
     * {@code seed + f}, which seeds copy {@code i} with {@code seed + f + i}), so the returns are
     * those of playing the episodes one after the other on a single env: one round trip per step of
     * the longest episode instead of one per step of every episode. A copy whose episode ended is
     * stepped on (its autoreset is the env's business) but no longer counted.
     */
    public static Result evaluate(DqnAgent agent, VectorEnv env, int episodes, long seed) throws EnvException {
        return evaluate(new DqnTrainable(agent), env, episodes, seed);
    }

    /**
     * As {@link #evaluate(DqnAgent, VectorEnv, int, long)} for any greedy policy (SAC's included).
     * Copies whose episode is over, or that have none in the last round, are stepped on with the
     * policy's action for their observation, which is always a valid action.
     */
    public static Result evaluate(GreedyPolicy policy, VectorEnv env, int episodes, long seed) throws EnvException {
        if (episodes <= 0) {
            throw new IllegalArgumentException("episodes must be positive, got " + episodes);
        }
        Space observationSpace = env.singleObservationSpace();
        policy.requireCompatible(env.spec().id(), observationSpace, env.singleActionSpace());
        int stepCap = env.spec().maxEpisodeSteps().orElse(DEFAULT_STEP_CAP);
        int copies = env.numEnvs();
        float[] observation = new float[observationSpace.flatDim()];
        Object[] actions = new Object[copies];
        boolean[] playing = new boolean[copies];
        double[] returns = new double[episodes];
        for (int first = 0; first < episodes; first += copies) {
            int round = Math.min(copies, episodes - first);
            Object[] observations = env.reset(seed + first).observations();
            Arrays.fill(playing, 0, round, true);
            int left = round;
            for (int t = 0; t < stepCap && left > 0; t++) {
                for (int i = 0; i < copies; i++) {
                    observationSpace.flattenInto(observations[i], observation, 0);
                    actions[i] = policy.greedyAction(observation);
                }
                VectorStepResult step = env.step(actions);
                for (int i = 0; i < round; i++) {
                    if (playing[i]) {
                        returns[first + i] += step.rewards()[i];
                        if (step.done(i)) {
                            playing[i] = false;
                            left--;
                        }
                    }
                }
                observations = step.observations();
            }
            Arrays.fill(playing, false);
        }
        return new Result(returns);
    }

    /** Returns of the evaluation episodes. */
    public record Result(double[] returns) {
        public Result {
            if (returns.length == 0) {
                throw new IllegalArgumentException("an evaluation needs at least one episode");
            }
            returns = returns.clone();
        }

        public double mean() {
            return Arrays.stream(returns).average().orElseThrow();
        }

        public double min() {
            return Arrays.stream(returns).min().orElseThrow();
        }

        public double max() {
            return Arrays.stream(returns).max().orElseThrow();
        }

        /** Population standard deviation of the returns (numpy's default, as Stable-Baselines3 reports it). */
        public double std() {
            double mean = mean();
            return Math.sqrt(Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).sum() / returns.length);
        }

        public int episodes() {
            return returns.length;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "mean %.1f +- %.1f (min %.1f, max %.1f) over %d episodes",
                    mean(), std(), min(), max(), returns.length);
        }
    }
}

package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.Space;
import dev.gymlink.env.StepResult;
import java.util.Arrays;

/** Greedy play (no exploration, no learning) to measure what an agent has learned. */
public final class Evaluation {

    /** Safety cap for envs without a time limit, so a greedy policy that never fails still ends. */
    public static final int DEFAULT_STEP_CAP = 100_000;

    private Evaluation() {}

    /**
     * Plays {@code episodes} greedy episodes; episode {@code k} starts from {@code reset(seed + k)},
     * so the same seed replays the same episodes.
     */
    public static Result evaluate(DqnAgent agent, Env env, int episodes, long seed) throws EnvException {
        if (episodes <= 0) {
            throw new IllegalArgumentException("episodes must be positive, got " + episodes);
        }
        Space observationSpace = env.observationSpace();
        Discrete actionSpace = Trainer.requireCompatible(env.spec().id(), observationSpace, env.actionSpace());
        Trainer.requireSize(observationSpace.flatDim(), agent.networkSpec().inputs(), "observation vector");
        Trainer.requireSize((int) actionSpace.n(), agent.actionCount(), "action count");
        int stepCap = env.spec().maxEpisodeSteps().orElse(DEFAULT_STEP_CAP);
        Object[] actionValues = Trainer.actionValues(actionSpace);
        float[] observation = new float[observationSpace.flatDim()];
        double[] returns = new double[episodes];
        for (int k = 0; k < episodes; k++) {
            observationSpace.flattenInto(env.reset(seed + k).observation(), observation, 0);
            double episodeReturn = 0;
            for (int t = 0; t < stepCap; t++) {
                StepResult step = env.step(actionValues[agent.greedyAction(observation)]);
                episodeReturn += step.reward();
                if (step.done()) {
                    break;
                }
                observationSpace.flattenInto(step.observation(), observation, 0);
            }
            returns[k] = episodeReturn;
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

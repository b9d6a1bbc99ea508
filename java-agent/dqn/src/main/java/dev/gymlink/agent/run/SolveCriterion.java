package dev.gymlink.agent.run;

/**
 * When a run counts as solved: the greedy policy's mean return over {@code evalEpisodes} episodes
 * reaches {@code threshold} (NaN: the env's registered reward threshold), checked every
 * {@code evalEverySteps} env steps.
 */
public record SolveCriterion(double threshold, int evalEpisodes, long evalEverySteps, boolean stopWhenSolved) {
    public SolveCriterion {
        if (Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("solve threshold must be finite or NaN, got " + threshold);
        }
        if (evalEpisodes <= 0 || evalEverySteps <= 0) {
            throw new IllegalArgumentException("evalEpisodes and evalEverySteps must be positive, got "
                    + evalEpisodes + " and " + evalEverySteps);
        }
    }

    /** Solved at the env's own reward threshold. */
    public static SolveCriterion envThreshold(int evalEpisodes, long evalEverySteps, boolean stopWhenSolved) {
        return new SolveCriterion(Double.NaN, evalEpisodes, evalEverySteps, stopWhenSolved);
    }
}

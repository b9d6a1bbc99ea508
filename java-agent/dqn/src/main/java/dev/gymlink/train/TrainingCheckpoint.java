package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.NetworkSpec;
import java.util.Objects;

/**
 * A run's complete state at one env step: config, the agent's weights, optimiser, target network,
 * replay and random streams, and the loop's counters and episodes in flight. {@link Checkpoints}
 * writes and reads it; {@link Trainer#resume} continues from it.
 *
 * @param config the run's config
 * @param envId env trained on
 * @param networkSpec network shape (observation size and action count included)
 * @param agent the agent's state
 * @param progress the loop's state
 */
public record TrainingCheckpoint(
        DqnConfig config, String envId, NetworkSpec networkSpec, DqnAgent.State agent, Progress progress) {

    public TrainingCheckpoint {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(envId, "envId");
        Objects.requireNonNull(networkSpec, "networkSpec");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(progress, "progress");
    }

    /** A new agent continuing exactly from this checkpoint. */
    public DqnAgent restoreAgent() {
        return DqnAgent.restore(config, networkSpec, agent);
    }

    /**
     * The same checkpoint with a new step budget, to train further than first planned. Nothing
     * else in the schedule depends on the budget, so continuing stays equivalent.
     */
    public TrainingCheckpoint withTotalSteps(long totalSteps) {
        return new TrainingCheckpoint(config.withTotalSteps(totalSteps), envId, networkSpec, agent, progress);
    }

    /**
     * The loop's state.
     *
     * @param envSteps env steps taken
     * @param episodes episodes finished
     * @param solvedAtStep step at which the solve criterion was first met, or -1
     * @param lastEvaluation latest greedy evaluation, null before the first
     * @param bestEvaluation greedy evaluation with the highest mean so far, null before the first
     * @param seconds wall time of training so far, over all sessions
     * @param recentReturns returns of the latest (up to 100) episodes, oldest first
     * @param observations current observation of each copy, flattened, row-major
     * @param episodeReturns return so far of each copy's episode in flight
     * @param episodeLengths steps so far of each copy's episode in flight
     */
    public record Progress(
            long envSteps, long episodes, long solvedAtStep, TrainingListener.EvaluationEnd lastEvaluation,
            TrainingListener.EvaluationEnd bestEvaluation, double seconds, double[] recentReturns,
            float[] observations, double[] episodeReturns, int[] episodeLengths) {
        public Progress {
            if (envSteps < 0 || episodes < 0) {
                throw new IllegalArgumentException("counters must be >= 0, got steps " + envSteps + ", episodes "
                        + episodes);
            }
            if (episodeReturns.length != episodeLengths.length) {
                throw new IllegalArgumentException("episode returns and lengths differ in length");
            }
        }
    }
}

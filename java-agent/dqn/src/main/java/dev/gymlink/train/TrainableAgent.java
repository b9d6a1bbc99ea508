package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.run.RunRandomness;
import dev.gymlink.agent.run.SolveCriterion;
import java.util.Map;

/**
 * What the {@link Trainer} drives: an off-policy agent that acts for all env copies at once,
 * remembers every transition and learns on the env-step clock. The loop (episode boundaries,
 * seeding, evaluation, listeners) is the trainer's; what to do at each of its points is the agent's.
 * DQN (through {@code DqnTrainable}) and SAC implement it.
 */
public interface TrainableAgent extends GreedyPolicy {

    /** Budget, evaluation schedule and description of the run, from the agent's config. */
    TrainingPlan plan();

    /**
     * What the trainer needs to know of an agent's config.
     *
     * @param summary one line describing the config, for logs and progress headers
     * @param totalSteps env-step budget, summed over copies
     * @param maxEpisodes episode budget
     * @param numEnvs env copies the agent acts for
     * @param solve when greedy evaluations run and when the env counts as solved
     */
    record TrainingPlan(String summary, long totalSteps, long maxEpisodes, int numEnvs,
            SolveCriterion solve) {}

    /** The run's random streams: the trainer draws env-reset and evaluation seeds from them. */
    RunRandomness random();

    /** How much the agent explores after {@code envSteps}, for progress reports: epsilon, or SAC's alpha. */
    double exploration(long envSteps);

    /** The name reports give {@link #exploration}: its metrics column, TensorBoard tag and progress label. */
    ExplorationName explorationName();

    /** Exploring actions for {@code count} flattened observations (row-major), in the action space's form. */
    void act(float[] observations, int count, long envSteps, Object[] actionsOut);

    /**
     * Stores copy {@code copy}'s transition of the step just taken: from {@code observations[offset ..]}
     * with the action {@link #act} chose for it to {@code nextObservations[nextOffset ..]} (an ended
     * episode's final observation).
     */
    void remember(int copy, float[] observations, int offset, double reward, float[] nextObservations,
            int nextOffset, boolean terminated, boolean truncated);

    /** After an episode of some copy ended (and its transition was remembered). */
    default void afterEpisodeEnd() {}

    /** Learns what is due for the env steps {@code (stepsBefore, envSteps]}. */
    void learn(long stepsBefore, long envSteps);

    /** Smoothed loss of recent updates, NaN before the first. */
    double recentLoss();

    /**
     * The files of a checkpoint holding this agent and the loop's {@code progress} (with its
     * {@value Checkpoints#STATE} naming the algorithm unless it is DQN), for {@link Checkpoints#write}.
     */
    Map<String, Checkpoints.Part> checkpointParts(String envId, TrainingCheckpoint.Progress progress);
}

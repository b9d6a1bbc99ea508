package dev.gymlink.train;

/**
 * Plumbing around the training loop: progress display, metrics files, plots, checkpoints. The
 * trainer calls these hooks; listeners never change what the agent learns.
 */
public interface TrainingListener {

    /** Once, before the first env step. */
    default void onTrainingStart(TrainingStart start) {}

    /** After every finished episode (of any copy of a vector env). */
    default void onEpisodeEnd(EpisodeEnd episode) {}

    /** Every few thousand env steps and at the end, for progress displays. */
    default void onProgress(Progress progress) {}

    /** Once, after the last step (also when training stops early because the env was solved). */
    default void onTrainingEnd(TrainingEnd end) {}

    /**
     * After each greedy evaluation during training (every {@code solve.evalEverySteps} env steps
     * when the trainer has an evaluation env).
     */
    default void onEvaluation(EvaluationEnd evaluation) {}

    /**
     * After every vector step, with the trainer, for listeners that need the training state
     * itself (checkpoints). Must not change it.
     */
    default void afterStep(Trainer trainer) {}

    /**
     * Once, after the last step, with the trainer (e.g. for a final checkpoint); by default just
     * {@link #onTrainingEnd(TrainingEnd)}.
     */
    default void onTrainingEnd(Trainer trainer, TrainingEnd end) {
        onTrainingEnd(end);
    }

    /**
     * @param envId env being trained on
     * @param totalSteps env-step budget
     * @param numEnvs copies stepped together
     * @param configSummary one-line description of the agent config
     * @param explorationName what the {@code exploration} of later events measures, as reports name it
     */
    record TrainingStart(String envId, long totalSteps, int numEnvs, String configSummary,
            ExplorationName explorationName) {}

    /**
     * @param envStep env steps taken so far (summed over copies)
     * @param episode 1-based count of finished episodes
     * @param episodeReturn undiscounted return of the episode
     * @param length steps in the episode
     * @param terminated true when it ended in a terminal state, false when truncated
     * @param exploration exploration rate at its end (named by {@link TrainingStart#explorationName})
     * @param recentLoss mean TD loss over recent updates (NaN before learning starts)
     * @param stepsPerSecond recent env steps per second
     * @param meanReturn100 mean return of the last 100 episodes
     */
    record EpisodeEnd(
            long envStep,
            long episode,
            double episodeReturn,
            int length,
            boolean terminated,
            double exploration,
            double recentLoss,
            double stepsPerSecond,
            double meanReturn100) {}

    /**
     * @param envStep env steps taken so far
     * @param totalSteps env-step budget
     * @param episodes finished episodes
     * @param stepsPerSecond recent env steps per second
     * @param meanReturn100 mean return of the last 100 episodes (NaN before the first)
     * @param exploration current exploration rate (named by {@link TrainingStart#explorationName})
     */
    record Progress(
            long envStep, long totalSteps, long episodes, double stepsPerSecond, double meanReturn100,
            double exploration) {}

    /**
     * @param envSteps env steps taken
     * @param episodes finished episodes
     * @param seconds wall time of training
     * @param solved true when the solve criterion was met
     * @param solvedAtStep env step at which it was first met, or -1
     * @param meanReturn100 mean return of the last 100 episodes
     * @param bestEvaluation the greedy evaluation with the highest mean so far (earlier sessions of a
     *     resumed run included), or null when none ran
     * @param lastEvaluation the latest greedy evaluation, or null when none ran
     */
    record TrainingEnd(
            long envSteps, long episodes, double seconds, boolean solved, long solvedAtStep, double meanReturn100,
            EvaluationEnd bestEvaluation, EvaluationEnd lastEvaluation) {

        /** The end of a run in which no greedy evaluation ran. */
        public TrainingEnd(long envSteps, long episodes, double seconds, boolean solved, long solvedAtStep,
                double meanReturn100) {
            this(envSteps, episodes, seconds, solved, solvedAtStep, meanReturn100, null, null);
        }
    }

    /**
     * @param envStep env steps taken when the evaluation ran
     * @param episodes greedy episodes played
     * @param meanReturn mean undiscounted return
     * @param stdReturn population standard deviation of the returns
     * @param minReturn worst episode
     * @param maxReturn best episode
     * @param threshold return that counts as solved (NaN when the env defines none)
     * @param solved true when the mean reached the threshold
     * @param best true when the mean beats every earlier evaluation of the run (the first one always does)
     * @param seconds wall time of training when it ran (earlier sessions of a resumed run included)
     */
    record EvaluationEnd(
            long envStep, int episodes, double meanReturn, double stdReturn, double minReturn, double maxReturn,
            double threshold, boolean solved, boolean best, double seconds) {}
}

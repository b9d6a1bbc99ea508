package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.Space;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorStepResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The off-policy training loop, for DQN and for any other {@link TrainableAgent} (SAC).
 * {@link #train()} reads top to bottom as the algorithm: act for every env copy in one batch (DQN:
 * epsilon-greedily), step, store the transitions, learn (DQN: and refresh the target network),
 * evaluate. Progress, metrics and checkpoints are {@link TrainingListener}s around it and never
 * change what is learned.
 *
 * <p>Episode boundaries: the vector env resets ended copies within the step (same-step autoreset;
 * a next-step vector env is refused), so a copy that ended stores the transition to its episode's
 * final observation, and acting continues from the reset observation; no stored transition spans
 * two episodes.
 *
 * <p>Seeding: every episode of every copy starts from a seed of the run's env-reset stream, the
 * first ones through the first reset, the later ones through seeded autoresets (one draw per step,
 * copy {@code i} reset with that seed {@code + i}; see {@link VectorEnv#step(Object[], long)}). An
 * episode in flight is thus its seed and its actions, which is all a remote env needs to rebuild
 * it exactly on a restarted server; local and remote runs stay step for step the same.
 */
public final class Trainer {

    /** How often {@link TrainingListener#onProgress} fires, in env steps. */
    public static final long PROGRESS_EVERY_STEPS = 2_000;
    private static final int RETURN_WINDOW = 100;

    private final TrainableAgent agent;
    /** The DQN agent when {@link #agent} is one: checkpoints and resume know its state. */
    private final Optional<DqnAgent> dqnAgent;
    private final TrainableAgent.TrainingPlan plan;
    private final VectorEnv env;
    /** Where greedy evaluations play, their episodes side by side when it has several copies. */
    private final Optional<VectorEnv> evalEnv;
    private final List<TrainingListener> listeners;
    private final Space observationSpace;
    private final int numEnvs;
    private final int observationSize;
    private final double solveThreshold;

    private float[] observations;
    private float[] nextObservations;
    private final Object[] actionObjects;
    private final double[] episodeReturns;
    private final int[] episodeLengths;
    private final double[] recentReturns = new double[RETURN_WINDOW];
    private int recentCount;

    private boolean envStarted;
    private long envSteps;
    private long episodes;
    private long solvedAtStep = -1;
    /** Set from another thread (e.g. a Ctrl-C handler): the loop ends after the current step, as at the budget. */
    private volatile boolean stopRequested;
    private TrainingListener.EvaluationEnd lastEvaluation;
    private TrainingListener.EvaluationEnd bestEvaluation;
    /** Wall time of earlier training sessions of this run; this session's runs from {@link #startNanos}. */
    private double secondsBefore;
    private long startNanos;
    private boolean timing;

    private long rateSteps;
    private long rateNanos;
    private double stepsPerSecond;

    /**
     * A trainer for a fresh agent, or for one restored by {@link TrainingCheckpoint#restoreAgent},
     * evaluating on a single env (its episodes one after the other), or not at all.
     */
    public Trainer(DqnAgent agent, VectorEnv env, Optional<Env> evalEnv, List<TrainingListener> listeners) {
        this(new DqnTrainable(agent), Optional.of(agent), env, listeners, evalEnv.map(Evaluation::oneCopy));
    }

    /**
     * A trainer that plays the episodes of each greedy evaluation side by side on {@code evalEnv},
     * one copy per episode when it has {@code config.solve().evalEpisodes()} copies; the returns are
     * the same as on a single env (see {@link Evaluation#evaluate(DqnAgent, VectorEnv, int, long)}).
     */
    public Trainer(DqnAgent agent, VectorEnv env, VectorEnv evalEnv, List<TrainingListener> listeners) {
        this(new DqnTrainable(agent), Optional.of(agent), env, listeners, Optional.of(evalEnv));
    }

    /**
     * A trainer for any agent (e.g. SAC), evaluating on {@code evalEnv} as the DQN trainer does, or
     * not at all. Its checkpoints are {@link #checkpointParts()}; {@link #checkpoint()} is DQN's.
     */
    public Trainer(TrainableAgent agent, VectorEnv env, Optional<VectorEnv> evalEnv,
            List<TrainingListener> listeners) {
        this(agent, agent instanceof DqnTrainable dqn ? Optional.of(dqn.agent()) : Optional.empty(), env, listeners,
                evalEnv);
    }

    private Trainer(TrainableAgent agent, Optional<DqnAgent> dqnAgent, VectorEnv env,
            List<TrainingListener> listeners, Optional<VectorEnv> evalEnv) {
        this.agent = agent;
        this.dqnAgent = dqnAgent;
        this.plan = agent.plan();
        this.env = env;
        this.evalEnv = evalEnv;
        this.listeners = List.copyOf(listeners);
        if (env.autoresetMode() != AutoresetMode.SAME_STEP) {
            // With next-step autoreset the step after an episode's end would store a transition across the reset.
            throw new IllegalArgumentException("the trainer needs a vector env with same-step autoreset, got "
                    + env.autoresetMode() + " from " + env);
        }
        this.observationSpace = env.singleObservationSpace();
        this.numEnvs = env.numEnvs();
        if (numEnvs != plan.numEnvs()) {
            throw new IllegalArgumentException(
                    "config asks for " + plan.numEnvs() + " env copies, the vector env has " + numEnvs);
        }
        this.observationSize = observationSpace.flatDim();
        agent.requireCompatible(env.spec().id(), observationSpace, env.singleActionSpace());
        this.solveThreshold = Double.isNaN(plan.solve().threshold())
                ? env.spec().rewardThreshold().orElse(Double.NaN)
                : plan.solve().threshold();
        this.observations = new float[numEnvs * observationSize];
        this.nextObservations = new float[numEnvs * observationSize];
        this.actionObjects = new Object[numEnvs];
        this.episodeReturns = new double[numEnvs];
        this.episodeLengths = new int[numEnvs];
    }

    /**
     * A trainer continuing from a checkpoint. With {@code envContinues} the env is the same live
     * env the checkpointed run was stepping (same process, or a remote session still open), and
     * training picks up mid-episode exactly where it stopped. Otherwise the env is fresh: it is
     * reset from the checkpoint's env seed stream and the episodes in flight are dropped (their
     * transitions are already in the replay buffer).
     */
    public static Trainer resume(TrainingCheckpoint checkpoint, VectorEnv env, Optional<Env> evalEnv,
            List<TrainingListener> listeners, boolean envContinues) {
        return resume(checkpoint, env, listeners, envContinues, evalEnv.map(Evaluation::oneCopy));
    }

    /** As {@link #resume(TrainingCheckpoint, VectorEnv, Optional, List, boolean)}, evaluating on {@code evalEnv}. */
    public static Trainer resume(TrainingCheckpoint checkpoint, VectorEnv env, VectorEnv evalEnv,
            List<TrainingListener> listeners, boolean envContinues) {
        return resume(checkpoint, env, listeners, envContinues, Optional.of(evalEnv));
    }

    private static Trainer resume(TrainingCheckpoint checkpoint, VectorEnv env, List<TrainingListener> listeners,
            boolean envContinues, Optional<VectorEnv> evalEnv) {
        DqnAgent agent = checkpoint.restoreAgent();
        Trainer trainer = new Trainer(new DqnTrainable(agent), Optional.of(agent), env, listeners, evalEnv);
        return trainer.continueFrom(checkpoint.progress(), envContinues);
    }

    /**
     * A trainer continuing any agent restored from a checkpoint (SAC's included) from the loop's
     * saved {@code progress}; {@code envContinues} as for DQN's
     * {@link #resume(TrainingCheckpoint, VectorEnv, Optional, List, boolean)}.
     */
    public static Trainer resume(TrainableAgent agent, TrainingCheckpoint.Progress progress, VectorEnv env,
            Optional<VectorEnv> evalEnv, List<TrainingListener> listeners, boolean envContinues) {
        return new Trainer(agent, env, evalEnv, listeners).continueFrom(progress, envContinues);
    }

    private Trainer continueFrom(TrainingCheckpoint.Progress saved, boolean envContinues) {
        Trainer trainer = this;
        trainer.envSteps = saved.envSteps();
        trainer.episodes = saved.episodes();
        trainer.solvedAtStep = saved.solvedAtStep();
        trainer.lastEvaluation = saved.lastEvaluation();
        trainer.bestEvaluation = saved.bestEvaluation();
        trainer.secondsBefore = saved.seconds();
        double[] recent = saved.recentReturns();
        trainer.recentCount = recent.length;
        for (int k = 0; k < recent.length; k++) {
            trainer.recentReturns[k % RETURN_WINDOW] = recent[k];
        }
        if (envContinues) {
            requireSize(saved.observations().length, trainer.observations.length, "saved observations");
            trainer.observations = saved.observations().clone();
            System.arraycopy(saved.episodeReturns(), 0, trainer.episodeReturns, 0, trainer.numEnvs);
            System.arraycopy(saved.episodeLengths(), 0, trainer.episodeLengths, 0, trainer.numEnvs);
            trainer.envStarted = true;
        }
        return trainer;
    }

    /**
     * Trains until the step or episode budget is spent, or the env is solved when the config stops then.
     * When a step fails (an env server gone for good), the listeners still see the end of training,
     * as after {@link #requestStop()}, so the final checkpoint, metrics and curve are written; then
     * the failure is thrown. Training state is that of the last completed step.
     */
    public TrainingListener.TrainingEnd train() throws EnvException {
        startNanos = System.nanoTime();
        timing = true;
        rateNanos = startNanos;
        rateSteps = envSteps;
        listeners.forEach(l -> l.onTrainingStart(new TrainingListener.TrainingStart(
                env.spec().id(), plan.totalSteps(), numEnvs, plan.summary(), agent.explorationName())));
        if (!envStarted) {
            Object[] first = env.reset(agent.random().envReset().nextEnvSeed()).observations();
            for (int i = 0; i < numEnvs; i++) {
                observationSpace.flattenInto(first[i], observations, i * observationSize);
            }
            Arrays.fill(episodeReturns, 0);
            Arrays.fill(episodeLengths, 0);
            envStarted = true;
        }
        try {
            loop();
        } catch (RuntimeException failure) {
            // As after Ctrl-C: listeners see the end, so the final checkpoint, metrics and curve are written.
            try {
                end();
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            throw failure;
        }
        return end();
    }

    /** The algorithm, until a budget is spent, the env is solved or a stop was requested. */
    private void loop() throws EnvException {
        while (envSteps < plan.totalSteps() && episodes < plan.maxEpisodes() && !stoppedBySolve()
                && !stopRequested) {
            // Act: one batched forward pass for all copies.
            double exploration = exploration();
            agent.act(observations, numEnvs, envSteps, actionObjects);
            // Every episode starts from a known seed, so a remote env can replay it after a server restart.
            VectorStepResult result = env.step(actionObjects, agent.random().envReset().nextEnvSeed());
            long stepsBefore = envSteps;
            envSteps += numEnvs;

            // Remember: an ended copy's transition leads to its final observation, not the reset one.
            for (int i = 0; i < numEnvs; i++) {
                boolean ended = result.done(i);
                Object next = ended ? result.finalObservations()[i] : result.observations()[i];
                int offset = i * observationSize;
                observationSpace.flattenInto(next, nextObservations, offset);
                double reward = result.rewards()[i];
                agent.remember(i, observations, offset, reward, nextObservations, offset, result.terminated()[i],
                        result.truncated()[i]);
                episodeReturns[i] += reward;
                episodeLengths[i]++;
                if (ended) {
                    endEpisode(i, result.terminated()[i], exploration);
                    agent.afterEpisodeEnd();
                    observationSpace.flattenInto(result.observations()[i], nextObservations, offset);
                }
            }
            float[] swap = observations;
            observations = nextObservations;
            nextObservations = swap;

            agent.learn(stepsBefore, envSteps);

            if (evalEnv.isPresent() && crossings(stepsBefore, envSteps, plan.solve().evalEverySteps()) > 0) {
                evaluate(evalEnv.get());
            }
            if (crossings(stepsBefore, envSteps, PROGRESS_EVERY_STEPS) > 0) {
                reportProgress();
            }
            for (TrainingListener listener : listeners) {
                listener.afterStep(this);
            }
        }
    }

    /** Reports the end of training to the listeners. */
    private TrainingListener.TrainingEnd end() {
        reportProgress();
        TrainingListener.TrainingEnd end = new TrainingListener.TrainingEnd(envSteps, episodes,
                (System.nanoTime() - startNanos) / 1e9, solvedAtStep >= 0, solvedAtStep, meanRecentReturn(),
                bestEvaluation, lastEvaluation);
        for (TrainingListener listener : listeners) {
            listener.onTrainingEnd(this, end);
        }
        return end;
    }

    private void endEpisode(int copy, boolean terminated, double exploration) {
        episodes++;
        double episodeReturn = episodeReturns[copy];
        recentReturns[recentCount % RETURN_WINDOW] = episodeReturn;
        recentCount++;
        TrainingListener.EpisodeEnd event = new TrainingListener.EpisodeEnd(envSteps, episodes, episodeReturn,
                episodeLengths[copy], terminated, exploration, agent.recentLoss(), stepsPerSecond, meanRecentReturn());
        for (TrainingListener listener : listeners) {
            listener.onEpisodeEnd(event);
        }
        episodeReturns[copy] = 0;
        episodeLengths[copy] = 0;
    }

    private void evaluate(VectorEnv evaluationEnv) throws EnvException {
        Evaluation.Result result = Evaluation.evaluate(agent, evaluationEnv, plan.solve().evalEpisodes(),
                agent.random().evaluation().nextEnvSeed());
        boolean solved = !Double.isNaN(solveThreshold) && result.mean() >= solveThreshold;
        if (solved && solvedAtStep < 0) {
            solvedAtStep = envSteps;
        }
        boolean best = bestEvaluation == null || result.mean() > bestEvaluation.meanReturn();
        TrainingListener.EvaluationEnd event = new TrainingListener.EvaluationEnd(envSteps, result.episodes(),
                result.mean(), result.std(), result.min(), result.max(), solveThreshold, solved, best, seconds());
        lastEvaluation = event;
        if (best) {
            bestEvaluation = event;
        }
        for (TrainingListener listener : listeners) {
            listener.onEvaluation(event);
        }
    }

    private void reportProgress() {
        long now = System.nanoTime();
        if (now > rateNanos && envSteps > rateSteps) {
            stepsPerSecond = (envSteps - rateSteps) / ((now - rateNanos) / 1e9);
        }
        rateNanos = now;
        rateSteps = envSteps;
        TrainingListener.Progress progress = new TrainingListener.Progress(envSteps, plan.totalSteps(), episodes,
                stepsPerSecond, meanRecentReturn(), exploration());
        for (TrainingListener listener : listeners) {
            listener.onProgress(progress);
        }
    }

    /**
     * Asks {@link #train} to end after the step it is taking; listeners then see a normal end (so the
     * final checkpoint is written). Safe to call from any thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** True once {@link #requestStop} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    private boolean stoppedBySolve() {
        return plan.solve().stopWhenSolved() && solvedAtStep >= 0;
    }

    /** How many multiples of {@code period} lie in {@code (from, to]}. */
    static long crossings(long from, long to, long period) {
        return to / period - from / period;
    }

    /** Current exploration rate: DQN's epsilon, SAC's entropy coefficient (see {@link TrainableAgent#explorationName}). */
    public double exploration() {
        return agent.exploration(envSteps);
    }

    /** Mean return of the last (up to) 100 finished episodes; NaN before the first. */
    public double meanRecentReturn() {
        int count = Math.min(recentCount, RETURN_WINDOW);
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int k = 0; k < count; k++) {
            sum += recentReturns[k];
        }
        return sum / count;
    }

    /**
     * Everything needed to continue this run exactly; see {@link #resume}.
     *
     * @throws UnsupportedOperationException when the agent is not DQN (SAC checkpoints are not written yet)
     */
    public TrainingCheckpoint checkpoint() {
        DqnAgent agent = dqnAgent();
        return new TrainingCheckpoint(agent.config(), env.spec().id(), agent.networkSpec(), agent.state(), progress());
    }

    /** The files of a checkpoint of this run, whatever the algorithm; see {@link Checkpoints#write}. */
    public Map<String, Checkpoints.Part> checkpointParts() {
        return agent.checkpointParts(env.spec().id(), progress());
    }

    /** The loop's state, for checkpoints. */
    private TrainingCheckpoint.Progress progress() {
        int count = Math.min(recentCount, RETURN_WINDOW);
        double[] recent = new double[count];
        for (int k = 0; k < count; k++) {
            recent[k] = recentReturns[(recentCount - count + k) % RETURN_WINDOW];
        }
        return new TrainingCheckpoint.Progress(envSteps, episodes, solvedAtStep, lastEvaluation, bestEvaluation,
                seconds(), recent, observations.clone(), episodeReturns.clone(), episodeLengths.clone());
    }

    /**
     * The DQN agent being trained.
     *
     * @throws UnsupportedOperationException when the agent is not DQN; see {@link #trainableAgent()}
     */
    public DqnAgent agent() {
        return dqnAgent();
    }

    /** The agent being trained, whatever its algorithm. */
    public TrainableAgent trainableAgent() {
        return agent;
    }

    private DqnAgent dqnAgent() {
        return dqnAgent.orElseThrow(() -> new UnsupportedOperationException(
                "checkpoints and resume are DQN's so far; this trainer trains " + plan.summary()));
    }

    public long envSteps() {
        return envSteps;
    }

    public long episodes() {
        return episodes;
    }

    /** Env step at which greedy evaluation first reached the threshold, or -1. */
    public long solvedAtStep() {
        return solvedAtStep;
    }

    /** The latest greedy evaluation, empty before the first. */
    public Optional<TrainingListener.EvaluationEnd> lastEvaluation() {
        return Optional.ofNullable(lastEvaluation);
    }

    /** The greedy evaluation with the highest mean so far (earlier sessions included), empty before the first. */
    public Optional<TrainingListener.EvaluationEnd> bestEvaluation() {
        return Optional.ofNullable(bestEvaluation);
    }

    /** Wall time of training so far: earlier sessions of a resumed run plus this one. */
    private double seconds() {
        return secondsBefore + (timing ? (System.nanoTime() - startNanos) / 1e9 : 0);
    }

    public String envId() {
        return env.spec().id();
    }

    static void requireSize(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has size " + actual + ", the agent expects " + expected);
        }
    }
}

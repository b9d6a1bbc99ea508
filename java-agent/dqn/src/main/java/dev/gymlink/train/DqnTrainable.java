package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnCompatibility;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.run.RunRandomness;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Space;
import java.util.Map;

/**
 * DQN as the trainer sees it: epsilon-greedy acting over a Discrete space, the episode-end reward
 * of the tutorial, and the update schedule (gradient steps and target refreshes on the env-step
 * clock, or the tutorial's replay after each episode).
 */
final class DqnTrainable implements TrainableAgent {

    /** The epsilon-greedy coin's probability of a random action. */
    static final ExplorationName EPSILON = new ExplorationName("epsilon", "eps");

    private final DqnAgent agent;
    private final DqnConfig config;
    private final int[] actions;
    private final TrainingPlan plan;
    private Object[] actionValues;

    DqnTrainable(DqnAgent agent) {
        this.agent = agent;
        this.config = agent.config();
        this.plan = new TrainingPlan(config.summary(), config.totalSteps(), config.maxEpisodes(), config.numEnvs(),
                config.solve());
        this.actions = new int[config.numEnvs()];
    }

    DqnAgent agent() {
        return agent;
    }

    @Override
    public void requireCompatible(String envId, Space observationSpace, Space actionSpace) {
        DqnCompatibility.require(envId, observationSpace, actionSpace);
        Discrete discrete = (Discrete) actionSpace;
        Trainer.requireSize(observationSpace.flatDim(), agent.networkSpec().inputs(), "observation vector");
        Trainer.requireSize((int) discrete.n(), agent.actionCount(), "action count");
        actionValues = actionValues(discrete);
    }

    /** Action values in the space's own form ({@code Long}, offset by the space's start), by index. */
    static Object[] actionValues(Discrete space) {
        Object[] values = new Object[(int) space.n()];
        for (int a = 0; a < values.length; a++) {
            values[a] = space.start() + a;
        }
        return values;
    }

    @Override
    public Object greedyAction(float[] observation) {
        return actionValues[agent.greedyAction(observation)];
    }

    @Override
    public TrainingPlan plan() {
        return plan;
    }

    @Override
    public RunRandomness random() {
        return agent.random();
    }

    @Override
    public double exploration(long envSteps) {
        return config.exploration().epsilon(envSteps, agent.replays());
    }

    @Override
    public ExplorationName explorationName() {
        return EPSILON;
    }

    @Override
    public void act(float[] observations, int count, long envSteps, Object[] actionsOut) {
        agent.act(observations, count, exploration(envSteps), actions);
        for (int i = 0; i < count; i++) {
            actionsOut[i] = actionValues[actions[i]];
        }
    }

    @Override
    public void remember(int copy, float[] observations, int offset, double reward, float[] nextObservations,
            int nextOffset, boolean terminated, boolean truncated) {
        boolean ended = terminated || truncated;
        float stored = (float) (ended && !Double.isNaN(config.episodeEndReward()) ? config.episodeEndReward() : reward);
        agent.remember(observations, offset, actions[copy], stored, nextObservations, nextOffset, terminated,
                truncated);
    }

    @Override
    public void afterEpisodeEnd() {
        if (config.updates() instanceof DqnConfig.UpdateSchedule.AfterEpisode) {
            agent.replayOneByOne();
        }
    }

    @Override
    public void learn(long stepsBefore, long envSteps) {
        // Learn, then refresh the target network, both on the env-step clock.
        if (config.updates() instanceof DqnConfig.UpdateSchedule.EveryEnvSteps schedule
                && envSteps > schedule.learningStarts()) {
            long due = Trainer.crossings(stepsBefore, envSteps, schedule.trainFrequency()) * schedule.gradientSteps();
            for (long k = 0; k < due; k++) {
                agent.learn();
            }
            long interval = targetNetworkInterval();
            if (interval > 0 && Trainer.crossings(stepsBefore, envSteps, interval) > 0) {
                agent.updateTarget();
            }
        }
    }

    /** Env steps between target refreshes; 0 without a target network. */
    private long targetNetworkInterval() {
        if (config.targetNetwork() instanceof DqnConfig.TargetNetwork.Hard hard) {
            return hard.intervalSteps();
        }
        if (config.targetNetwork() instanceof DqnConfig.TargetNetwork.Polyak polyak) {
            return polyak.intervalSteps();
        }
        return 0;
    }

    @Override
    public double recentLoss() {
        return agent.recentLoss();
    }

    @Override
    public Map<String, Checkpoints.Part> checkpointParts(String envId, TrainingCheckpoint.Progress progress) {
        return Checkpoints.dqnParts(new TrainingCheckpoint(config, envId, agent.networkSpec(), agent.state(), progress));
    }
}

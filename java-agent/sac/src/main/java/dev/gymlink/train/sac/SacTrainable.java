package dev.gymlink.train.sac;

import dev.gymlink.agent.run.RunRandomness;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.env.Box;
import dev.gymlink.env.Space;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainableAgent;
import dev.gymlink.train.TrainingCheckpoint;
import java.util.Map;

/**
 * SAC as the trainer sees it: actions drawn in [-1, 1] and scaled onto the env's Box, every
 * transition remembered with its [-1, 1] action, gradient steps on the env-step clock. Reports
 * the entropy coefficient as {@code alpha} where DQN reports {@code epsilon}.
 */
public final class SacTrainable implements TrainableAgent {

    /** The entropy coefficient, which weighs the policy's entropy against the return. */
    public static final ExplorationName ALPHA = new ExplorationName("alpha", "alpha");

    private final SacAgent agent;
    private final SacConfig config;
    private final int actionSize;
    private final TrainingPlan plan;
    private final float[] unitActions;
    private final float[] greedyAction;

    public SacTrainable(SacAgent agent) {
        this.agent = agent;
        this.config = agent.config();
        this.plan = new TrainingPlan(config.summary(), config.totalSteps(), config.maxEpisodes(), config.numEnvs(),
                config.solve());
        this.actionSize = agent.actionSize();
        this.unitActions = new float[config.numEnvs() * actionSize];
        this.greedyAction = new float[actionSize];
    }

    public SacAgent agent() {
        return agent;
    }

    @Override
    public void requireCompatible(String envId, Space observationSpace, Space actionSpace) {
        if (!(actionSpace instanceof Box box)) {
            throw new IllegalArgumentException("SAC needs a Box action space; " + envId + " has " + actionSpace
                    + " (train it with DQN: --algo dqn)");
        }
        SacAgent.requireBoundedFloatBox(box);
        if (!box.equals(agent.actionSpace())) {
            throw new IllegalArgumentException(envId + " acts in " + box + ", the agent was made for "
                    + agent.actionSpace());
        }
        if (observationSpace.flatDim() != agent.observationSize()) {
            throw new IllegalArgumentException("observation vector has size " + observationSpace.flatDim()
                    + ", the agent expects " + agent.observationSize());
        }
    }

    @Override
    public Object greedyAction(float[] observation) {
        agent.greedy(observation, 1, greedyAction);
        return agent.envAction(greedyAction, 0);
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
        return agent.alpha();
    }

    @Override
    public ExplorationName explorationName() {
        return ALPHA;
    }

    @Override
    public void act(float[] observations, int count, long envSteps, Object[] actionsOut) {
        agent.explore(observations, count, envSteps, unitActions);
        for (int i = 0; i < count; i++) {
            actionsOut[i] = agent.envAction(unitActions, i * actionSize);
        }
    }

    @Override
    public void remember(int copy, float[] observations, int offset, double reward, float[] nextObservations,
            int nextOffset, boolean terminated, boolean truncated) {
        // Truncation keeps the bootstrap: only terminated is stored.
        agent.remember(observations, offset, unitActions, copy * actionSize, (float) reward, nextObservations,
                nextOffset, terminated);
    }

    @Override
    public void learn(long stepsBefore, long envSteps) {
        for (long k = agent.gradientStepsDue(stepsBefore, envSteps); k > 0; k--) {
            agent.learn();
        }
    }

    @Override
    public double recentLoss() {
        return agent.recentLoss();
    }

    @Override
    public Map<String, Checkpoints.Part> checkpointParts(String envId, TrainingCheckpoint.Progress progress) {
        return SacCheckpoints.parts(agent, envId, progress);
    }
}

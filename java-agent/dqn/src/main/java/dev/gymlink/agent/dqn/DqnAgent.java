package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.run.Rng;
import dev.gymlink.agent.run.RunRandomness;
import java.util.Arrays;
import java.util.Objects;

/**
 * The learning part of DQN: an online Q-network, an optional target network, the replay buffer,
 * epsilon-greedy acting and the two update rules (minibatch TD updates, and the tutorial's replay
 * of single-sample fits). It knows nothing about envs; the {@code Trainer} drives it.
 */
public final class DqnAgent implements AutoCloseable {

    private final DqnConfig config;
    private final NetworkSpec spec;
    private final NetworkBackend backend;
    private final QNetwork online;
    private final QNetwork target;
    private final ReplayBuffer replay;
    private final RunRandomness random;
    private final int actions;

    private final ReplayBuffer.Batch batch;
    private final int[] sampled;
    private final float[] targets;
    private final float[] nextQ;
    private final float[] nextQOnline;
    private float[] actQ;
    /** Temporally extended exploration: per copy, the exploratory action being held and for how many more steps. */
    private int[] heldAction = new int[0];
    private int[] heldSteps = new int[0];
    private final float[] singleState;
    private final float[] singleQ;
    private final int[] singleAction = new int[1];
    private final float[] singleTarget = new float[1];

    private long gradientSteps;
    private long replays;
    private double recentLoss = Double.NaN;

    /** A fresh agent: weights drawn from the config's seed, empty replay. */
    public static DqnAgent create(DqnConfig config, int observationSize, int actionCount) {
        RunRandomness random = RunRandomness.fromSeed(config.seed());
        NetworkSpec spec = NetworkSpec.of(config, observationSize, actionCount);
        float[] initial = spec.initialParameters(config.weightInit(), random.networkInit());
        return new DqnAgent(config, spec, random, initial);
    }

    private DqnAgent(DqnConfig config, NetworkSpec spec, RunRandomness random, float[] initialParameters) {
        this.config = Objects.requireNonNull(config, "config");
        this.spec = spec;
        this.random = random;
        this.actions = spec.outputs();
        this.backend = QNetworks.resolve(config.backend(), spec, config.batchSize());
        this.online = QNetworks.create(backend, spec, initialParameters);
        this.target = config.targetNetwork() instanceof DqnConfig.TargetNetwork.None
                ? null
                : QNetworks.create(backend, spec, initialParameters);
        this.replay = new ReplayBuffer(config.bufferSize(), spec.inputs());
        int batchSize = config.batchSize();
        this.batch = new ReplayBuffer.Batch(batchSize, spec.inputs());
        this.sampled = new int[batchSize];
        this.targets = new float[batchSize];
        this.nextQ = new float[batchSize * actions];
        this.nextQOnline = new float[batchSize * actions];
        this.actQ = new float[config.numEnvs() * actions];
        this.singleState = new float[spec.inputs()];
        this.singleQ = new float[actions];
    }

    /**
     * Epsilon-greedy actions for {@code count} observations (row-major in {@code observations}),
     * computed in one batched forward pass.
     */
    public void act(float[] observations, int count, double epsilon, int[] actionsOut) {
        Rng rng = random.exploration();
        int maxRepeat = config.exploration().actionRepeat();
        if (heldSteps.length < count) {
            heldAction = Arrays.copyOf(heldAction, count);
            heldSteps = Arrays.copyOf(heldSteps, count);
        }
        boolean anyGreedy = false;
        for (int i = 0; i < count; i++) {
            if (heldSteps[i] > 0) {
                heldSteps[i]--;
                actionsOut[i] = heldAction[i];
            } else if (rng.nextDouble() < epsilon) {
                actionsOut[i] = rng.nextInt(actions);
                // No extra draw without repeats, so classic runs keep their random streams.
                if (maxRepeat > 1) {
                    heldAction[i] = actionsOut[i];
                    heldSteps[i] = rng.nextInt(maxRepeat);
                }
            } else {
                actionsOut[i] = -1;
                anyGreedy = true;
            }
        }
        if (!anyGreedy) {
            return;
        }
        if (actQ.length < count * actions) {
            actQ = new float[count * actions];
        }
        online.predict(observations, count, actQ);
        for (int i = 0; i < count; i++) {
            if (actionsOut[i] < 0) {
                actionsOut[i] = argmax(actQ, i * actions, actions);
            }
        }
    }

    /** The greedy action for one observation. */
    public int greedyAction(float[] observation) {
        online.predict(observation, 1, singleQ);
        return argmax(singleQ, 0, actions);
    }

    /** Stores one transition; see {@link ReplayBuffer#add}. */
    public void remember(float[] observation, int observationOffset, int action, float reward,
            float[] nextObservation, int nextOffset, boolean terminated, boolean truncated) {
        replay.add(observation, observationOffset, action, reward, nextObservation, nextOffset, terminated, truncated);
    }

    /**
     * One minibatch TD update: {@code y = r + gamma * (1 - ended) * Q_target(s', a*)} with
     * {@code a*} chosen by the online net (Double DQN) or the target net, and {@code ended} true
     * for terminated transitions (and truncated ones when the config does not bootstrap them).
     *
     * @return the batch loss
     */
    public double learn() {
        int size = config.batchSize();
        replay.sampleIndices(random.replay(), sampled, size);
        replay.gather(sampled, size, batch);
        QNetwork bootstrap = target != null ? target : online;
        bootstrap.predict(batch.nextObservations, size, nextQ);
        if (config.doubleDqn()) {
            online.predict(batch.nextObservations, size, nextQOnline);
        }
        float gamma = (float) config.gamma();
        for (int b = 0; b < size; b++) {
            int row = b * actions;
            float nextValue = config.doubleDqn()
                    ? nextQ[row + argmax(nextQOnline, row, actions)]
                    : nextQ[row + argmax(nextQ, row, actions)];
            targets[b] = endsReturn(batch.terminated[b], batch.truncated[b])
                    ? batch.rewards[b]
                    : batch.rewards[b] + gamma * nextValue;
        }
        double loss = online.train(batch.observations, batch.actions, targets, size);
        gradientSteps++;
        recentLoss = Double.isNaN(recentLoss) ? loss : 0.99 * recentLoss + 0.01 * loss;
        return loss;
    }

    /**
     * The tutorial's replay: {@code batchSize} distinct stored transitions, each fitted alone in
     * turn, its target computed with the weights the previous fit left. Counts one replay (which
     * is what its epsilon decay counts). Does nothing while memory holds fewer than a batch.
     *
     * @return mean loss of the fits, NaN when memory was too small
     */
    public double replayOneByOne() {
        int size = config.batchSize();
        if (replay.size() < size) {
            return Double.NaN;
        }
        replay.sampleDistinctIndices(random.replay(), sampled, size);
        replay.gather(sampled, size, batch);
        int inputs = spec.inputs();
        float gamma = (float) config.gamma();
        double lossSum = 0;
        for (int b = 0; b < size; b++) {
            float y = batch.rewards[b];
            if (!endsReturn(batch.terminated[b], batch.truncated[b])) {
                System.arraycopy(batch.nextObservations, b * inputs, singleState, 0, inputs);
                online.predict(singleState, 1, singleQ);
                y += gamma * singleQ[argmax(singleQ, 0, actions)];
            }
            System.arraycopy(batch.observations, b * inputs, singleState, 0, inputs);
            singleAction[0] = batch.actions[b];
            singleTarget[0] = y;
            lossSum += online.train(singleState, singleAction, singleTarget, 1);
            gradientSteps++;
        }
        replays++;
        double loss = lossSum / size;
        recentLoss = Double.isNaN(recentLoss) ? loss : 0.9 * recentLoss + 0.1 * loss;
        return loss;
    }

    private boolean endsReturn(boolean terminated, boolean truncated) {
        return terminated || (truncated && !config.bootstrapOnTruncation());
    }

    /** Refreshes the target network: a full copy, or a Polyak blend. */
    public void updateTarget() {
        if (config.targetNetwork() instanceof DqnConfig.TargetNetwork.Polyak polyak) {
            target.blendParametersFrom(online, polyak.tau());
        } else if (target != null) {
            target.copyParametersFrom(online);
        }
    }

    /** First index of the largest value (numpy's argmax). */
    static int argmax(float[] values, int offset, int length) {
        int best = 0;
        float bestValue = values[offset];
        for (int a = 1; a < length; a++) {
            if (values[offset + a] > bestValue) {
                bestValue = values[offset + a];
                best = a;
            }
        }
        return best;
    }

    public DqnConfig config() {
        return config;
    }

    public NetworkSpec networkSpec() {
        return spec;
    }

    /** The backend actually used (AUTO resolved). */
    public NetworkBackend backend() {
        return backend;
    }

    public QNetwork online() {
        return online;
    }

    public int actionCount() {
        return actions;
    }

    public ReplayBuffer replayBuffer() {
        return replay;
    }

    public RunRandomness random() {
        return random;
    }

    public long gradientSteps() {
        return gradientSteps;
    }

    public long replays() {
        return replays;
    }

    /** Smoothed loss of recent updates, NaN before the first. */
    public double recentLoss() {
        return recentLoss;
    }

    /** Everything learned or drawn so far, for a checkpoint. */
    public State state() {
        return new State(online.parameters(), target == null ? null : target.parameters(), online.optimizerState(),
                replay.contents(), random.states(), gradientSteps, replays, recentLoss);
    }

    /** An agent continuing exactly from a saved state. */
    public static DqnAgent restore(DqnConfig config, NetworkSpec spec, State state) {
        DqnAgent agent = new DqnAgent(config, spec, RunRandomness.fromStates(state.randomStates()),
                state.onlineParameters());
        if ((agent.target == null) != (state.targetParameters() == null)) {
            throw new IllegalArgumentException("checkpoint and config disagree on having a target network");
        }
        if (agent.target != null) {
            agent.target.setParameters(state.targetParameters());
        }
        agent.online.setOptimizerState(state.optimizer());
        agent.replay.restore(state.replay());
        agent.gradientSteps = state.gradientSteps();
        agent.replays = state.replays();
        agent.recentLoss = state.recentLoss();
        return agent;
    }

    @Override
    public void close() {
        online.close();
        if (target != null) {
            target.close();
        }
    }

    /**
     * An agent's full state.
     *
     * @param onlineParameters online network, flat layout
     * @param targetParameters target network, or null without one
     * @param optimizer Adam state of the online network
     * @param replay replay ring
     * @param randomStates generator states of {@link RunRandomness}
     * @param gradientSteps updates taken
     * @param replays tutorial replays taken
     * @param recentLoss smoothed loss
     */
    public record State(
            float[] onlineParameters, float[] targetParameters, QNetwork.AdamState optimizer,
            ReplayBuffer.Contents replay, long[] randomStates, long gradientSteps, long replays, double recentLoss) {}
}

package dev.gymlink.agent.sac;

import java.util.random.RandomGenerator;

/**
 * A ring of transitions with continuous actions (each scaled to [-1, 1]), sampled uniformly with
 * replacement as Stable-Baselines3 samples. Only {@code terminated} is kept: a truncated episode's
 * last state keeps its value, so truncation needs no flag here.
 */
public final class SacReplayBuffer {

    private final int capacity;
    private final int observationSize;
    private final int actionSize;
    private final float[] observations;
    private final float[] nextObservations;
    private final float[] actions;
    private final float[] rewards;
    private final boolean[] terminated;
    private int next;
    private int size;

    public SacReplayBuffer(int capacity, int observationSize, int actionSize) {
        if (capacity <= 0 || observationSize <= 0 || actionSize <= 0) {
            throw new IllegalArgumentException("capacity, observation size and action size must be positive, got "
                    + capacity + ", " + observationSize + ", " + actionSize);
        }
        this.capacity = capacity;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.observations = new float[Math.multiplyExact(capacity, observationSize)];
        this.nextObservations = new float[observations.length];
        this.actions = new float[Math.multiplyExact(capacity, actionSize)];
        this.rewards = new float[capacity];
        this.terminated = new boolean[capacity];
    }

    /** Stores one transition, overwriting the oldest when full. */
    public void add(float[] observation, int observationOffset, float[] action, int actionOffset, float reward,
            float[] nextObservation, int nextOffset, boolean terminal) {
        System.arraycopy(observation, observationOffset, observations, next * observationSize, observationSize);
        System.arraycopy(nextObservation, nextOffset, nextObservations, next * observationSize, observationSize);
        System.arraycopy(action, actionOffset, actions, next * actionSize, actionSize);
        rewards[next] = reward;
        terminated[next] = terminal;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    public int size() {
        return size;
    }

    /** Fills {@code batch} with {@code count} transitions drawn uniformly with replacement. */
    public void sample(RandomGenerator rng, int count, Batch batch) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        for (int b = 0; b < count; b++) {
            int k = rng.nextInt(size);
            System.arraycopy(observations, k * observationSize, batch.observations, b * observationSize,
                    observationSize);
            System.arraycopy(nextObservations, k * observationSize, batch.nextObservations, b * observationSize,
                    observationSize);
            System.arraycopy(actions, k * actionSize, batch.actions, b * actionSize, actionSize);
            batch.rewards[b] = rewards[k];
            batch.terminated[b] = terminated[k];
        }
    }

    /** Row-major minibatch arrays, reused across samples. */
    public static final class Batch {
        final float[] observations;
        final float[] nextObservations;
        final float[] actions;
        final float[] rewards;
        final boolean[] terminated;

        public Batch(int capacity, int observationSize, int actionSize) {
            observations = new float[capacity * observationSize];
            nextObservations = new float[capacity * observationSize];
            actions = new float[capacity * actionSize];
            rewards = new float[capacity];
            terminated = new boolean[capacity];
        }
    }

    /** The whole ring, for checkpoints. */
    public Contents contents() {
        return new Contents(capacity, observationSize, actionSize, next, size, observations.clone(),
                nextObservations.clone(), actions.clone(), rewards.clone(), terminated.clone());
    }

    /** Replaces the ring with saved contents of the same shape. */
    public void restore(Contents saved) {
        if (saved.capacity() != capacity || saved.observationSize() != observationSize
                || saved.actionSize() != actionSize) {
            throw new IllegalArgumentException("saved replay of capacity " + saved.capacity() + ", observation size "
                    + saved.observationSize() + ", action size " + saved.actionSize() + " does not fit " + capacity
                    + ", " + observationSize + ", " + actionSize);
        }
        System.arraycopy(saved.observations(), 0, observations, 0, observations.length);
        System.arraycopy(saved.nextObservations(), 0, nextObservations, 0, nextObservations.length);
        System.arraycopy(saved.actions(), 0, actions, 0, actions.length);
        System.arraycopy(saved.rewards(), 0, rewards, 0, rewards.length);
        System.arraycopy(saved.terminated(), 0, terminated, 0, terminated.length);
        next = saved.next();
        size = saved.size();
    }

    /**
     * A saved ring.
     *
     * @param capacity transitions it holds when full
     * @param observationSize floats per observation
     * @param actionSize floats per action
     * @param next slot written next
     * @param size transitions stored
     * @param observations row-major observations
     * @param nextObservations row-major next observations
     * @param actions row-major actions in [-1, 1]
     * @param rewards rewards
     * @param terminated terminal flags
     */
    public record Contents(int capacity, int observationSize, int actionSize, int next, int size,
            float[] observations, float[] nextObservations, float[] actions, float[] rewards, boolean[] terminated) {
        public Contents {
            if (next < 0 || next >= capacity || size < 0 || size > capacity
                    || observations.length != capacity * observationSize || actions.length != capacity * actionSize
                    || nextObservations.length != observations.length || rewards.length != capacity
                    || terminated.length != capacity) {
                throw new IllegalArgumentException("replay contents do not fit capacity " + capacity);
            }
        }
    }
}

package dev.gymlink.agent.dqn;

import dev.gymlink.agent.run.Rng;
import java.util.Arrays;

/**
 * A ring of transitions {@code (s, a, r, s', terminated, truncated)} in primitive arrays, one slot
 * per transition and no object per transition; when full, the oldest is overwritten.
 *
 * <p>Terminated and truncated are kept apart: only a terminated transition cuts the bootstrap,
 * while a truncated one (time limit) still has a value at {@code s'}. Sampling is uniform from
 * an explicit {@link Rng}, so a seeded run samples the same batches.
 */
public final class ReplayBuffer {

    private final int capacity;
    private final int observationSize;
    private final float[] observations;
    private final float[] nextObservations;
    private final int[] actions;
    private final float[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private int next;
    private int size;

    public ReplayBuffer(int capacity, int observationSize) {
        if (capacity <= 0 || observationSize <= 0) {
            throw new IllegalArgumentException(
                    "replay capacity and observation size must be positive, got " + capacity + " and " + observationSize);
        }
        if ((long) capacity * observationSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("replay of " + capacity + " x " + observationSize + " floats is too large");
        }
        this.capacity = capacity;
        this.observationSize = observationSize;
        this.observations = new float[capacity * observationSize];
        this.nextObservations = new float[capacity * observationSize];
        this.actions = new int[capacity];
        this.rewards = new float[capacity];
        this.terminated = new boolean[capacity];
        this.truncated = new boolean[capacity];
    }

    /**
     * Stores one transition; {@code observation} and {@code nextObservation} are read from
     * {@code [offset, offset + observationSize)} of their arrays.
     */
    public void add(float[] observation, int observationOffset, int action, float reward, float[] nextObservation,
            int nextOffset, boolean isTerminated, boolean isTruncated) {
        System.arraycopy(observation, observationOffset, observations, next * observationSize, observationSize);
        System.arraycopy(nextObservation, nextOffset, nextObservations, next * observationSize, observationSize);
        actions[next] = action;
        rewards[next] = reward;
        terminated[next] = isTerminated;
        truncated[next] = isTruncated;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /** Fills {@code indices[0, count)} with slots drawn uniformly with replacement. */
    public void sampleIndices(Rng rng, int[] indices, int count) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        for (int k = 0; k < count; k++) {
            indices[k] = rng.nextInt(size);
        }
    }

    /** Fills {@code indices[0, count)} with distinct slots drawn uniformly (Python's random.sample). */
    public void sampleDistinctIndices(Rng rng, int[] indices, int count) {
        if (count > size) {
            throw new IllegalStateException("cannot sample " + count + " distinct transitions from " + size + " stored");
        }
        // Floyd's algorithm: count draws, no scratch array of size `size`.
        for (int k = 0; k < count; k++) {
            int candidate = rng.nextInt(size - count + k + 1);
            for (int prior = 0; prior < k; prior++) {
                if (indices[prior] == candidate) {
                    candidate = size - count + k;
                    break;
                }
            }
            indices[k] = candidate;
        }
        // Floyd's picks are a uniform set in a biased order; shuffle so the order is uniform too.
        for (int k = count - 1; k > 0; k--) {
            int other = rng.nextInt(k + 1);
            int swap = indices[k];
            indices[k] = indices[other];
            indices[other] = swap;
        }
    }

    /** Copies the transitions at {@code indices[0, count)} into the batch arrays. */
    public void gather(int[] indices, int count, Batch batch) {
        for (int k = 0; k < count; k++) {
            int slot = indices[k];
            System.arraycopy(observations, slot * observationSize, batch.observations, k * observationSize,
                    observationSize);
            System.arraycopy(nextObservations, slot * observationSize, batch.nextObservations, k * observationSize,
                    observationSize);
            batch.actions[k] = actions[slot];
            batch.rewards[k] = rewards[slot];
            batch.terminated[k] = terminated[slot];
            batch.truncated[k] = truncated[slot];
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public int observationSize() {
        return observationSize;
    }

    /** The whole ring as plain arrays, for checkpoints. */
    public Contents contents() {
        return new Contents(capacity, observationSize, next, size, observations.clone(), nextObservations.clone(),
                actions.clone(), rewards.clone(), terminated.clone(), truncated.clone());
    }

    /** Replaces this buffer's state with saved contents of the same capacity and observation size. */
    public void restore(Contents saved) {
        if (saved.capacity() != capacity || saved.observationSize() != observationSize) {
            throw new IllegalArgumentException("saved replay is " + saved.capacity() + " x " + saved.observationSize()
                    + ", this buffer " + capacity + " x " + observationSize);
        }
        System.arraycopy(saved.observations(), 0, observations, 0, observations.length);
        System.arraycopy(saved.nextObservations(), 0, nextObservations, 0, nextObservations.length);
        System.arraycopy(saved.actions(), 0, actions, 0, capacity);
        System.arraycopy(saved.rewards(), 0, rewards, 0, capacity);
        System.arraycopy(saved.terminated(), 0, terminated, 0, capacity);
        System.arraycopy(saved.truncated(), 0, truncated, 0, capacity);
        next = saved.next();
        size = saved.size();
    }

    /** A sampled minibatch, reusable across updates. */
    public static final class Batch {
        public final float[] observations;
        public final float[] nextObservations;
        public final int[] actions;
        public final float[] rewards;
        public final boolean[] terminated;
        public final boolean[] truncated;

        public Batch(int batchSize, int observationSize) {
            observations = new float[batchSize * observationSize];
            nextObservations = new float[batchSize * observationSize];
            actions = new int[batchSize];
            rewards = new float[batchSize];
            terminated = new boolean[batchSize];
            truncated = new boolean[batchSize];
        }
    }

    /** A buffer's full state. */
    public record Contents(
            int capacity, int observationSize, int next, int size, float[] observations, float[] nextObservations,
            int[] actions, float[] rewards, boolean[] terminated, boolean[] truncated) {
        public Contents {
            if (size < 0 || size > capacity || next < 0 || next >= capacity) {
                throw new IllegalArgumentException(
                        "replay position " + next + " / size " + size + " do not fit capacity " + capacity);
            }
            if (observations.length != capacity * observationSize || nextObservations.length != observations.length
                    || actions.length != capacity || rewards.length != capacity || terminated.length != capacity
                    || truncated.length != capacity) {
                throw new IllegalArgumentException("replay arrays do not match capacity " + capacity
                        + " and observation size " + observationSize);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Contents c && capacity == c.capacity && observationSize == c.observationSize
                    && next == c.next && size == c.size && Arrays.equals(observations, c.observations)
                    && Arrays.equals(nextObservations, c.nextObservations) && Arrays.equals(actions, c.actions)
                    && Arrays.equals(rewards, c.rewards) && Arrays.equals(terminated, c.terminated)
                    && Arrays.equals(truncated, c.truncated);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(actions) * 31 + size;
        }
    }
}

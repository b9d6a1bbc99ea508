package dev.gymlink.agent.run;

import java.util.random.RandomGenerator;

/**
 * A small seeded generator (SplitMix64) whose whole state is one {@code long}, so a checkpoint
 * can record it and a resumed run continues the exact same stream.
 *
 * <p>Each component of a run (network init, exploration, replay sampling, env seeds) gets its own
 * generator from {@link #split()} of one root seed, so adding draws in one component never shifts
 * the stream of another.
 */
public final class Rng implements RandomGenerator {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A generator continuing from a state captured by {@link #state()}. */
    public static Rng fromState(long state) {
        return new Rng(state);
    }

    /** The full state; {@code fromState(state())} continues the same stream. */
    public long state() {
        return state;
    }

    /** An independent child generator; advances this one by one draw. */
    public Rng split() {
        return new Rng(mix(nextLong()) ^ 0x5851f42d4c957f2dL);
    }

    /**
     * A seed for an env reset: non-negative and below 2^31 minus room for per-copy offsets, which
     * every env (numpy seeding included) and the wire accept.
     */
    public long nextEnvSeed() {
        return nextInt(Integer.MAX_VALUE - 65_536);
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

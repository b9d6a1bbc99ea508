package dev.gymlink.agent.run;

/**
 * The random streams of one run, all split from its single seed in a fixed order, so each
 * component draws from its own stream and a seed fully determines the run.
 *
 * @param networkInit initial weights
 * @param exploration epsilon-greedy coin flips and random actions
 * @param replay minibatch sampling
 * @param envReset seeds for env resets
 * @param evaluation seeds for greedy evaluation episodes
 */
public record RunRandomness(Rng networkInit, Rng exploration, Rng replay, Rng envReset, Rng evaluation) {

    public static RunRandomness fromSeed(long seed) {
        Rng root = new Rng(seed);
        return new RunRandomness(root.split(), root.split(), root.split(), root.split(), root.split());
    }

    /** The current states, in the order of the components, for checkpoints. */
    public long[] states() {
        return new long[] {networkInit.state(), exploration.state(), replay.state(), envReset.state(),
                evaluation.state()};
    }

    /** Streams continuing from states captured by {@link #states()}. */
    public static RunRandomness fromStates(long[] states) {
        if (states.length != 5) {
            throw new IllegalArgumentException("expected 5 generator states, got " + states.length);
        }
        return new RunRandomness(Rng.fromState(states[0]), Rng.fromState(states[1]), Rng.fromState(states[2]),
                Rng.fromState(states[3]), Rng.fromState(states[4]));
    }
}

package dev.gymlink.env;

import java.util.Map;
import java.util.OptionalLong;

/**
 * A batch of {@link #numEnvs()} copies of one env stepped together, like Gymnasium's vector envs.
 * A copy that ends an episode is reset automatically, so a caller calls reset only once; when, is
 * the {@link #autoresetMode()}:
 * <ul>
 *   <li>{@link AutoresetMode#SAME_STEP} (gymlink's default): within the step that ended it; the
 *       result carries the reset observation in {@code observations[i]} and the episode's last
 *       observation in {@code finalObservations[i]}, so no result mixes two episodes.
 *   <li>{@link AutoresetMode#NEXT_STEP} (Gymnasium's default): in the copy's next step, which ignores
 *       its action and returns the reset observation with reward 0.
 * </ul>
 * {@link VectorStepResult} says exactly what a result holds in each mode.
 */
public interface VectorEnv extends AutoCloseable {

    /** How many copies step together. */
    int numEnvs();

    /** Registry facts of the env being copied. */
    EnvSpec spec();

    /** The observation space of one copy. */
    Space singleObservationSpace();

    /** The action space of one copy. */
    Space singleActionSpace();

    /**
     * When an ended copy is reset. Implementations written before there was a choice are
     * same-step, hence the default.
     */
    default AutoresetMode autoresetMode() {
        return AutoresetMode.SAME_STEP;
    }

    /** Resets every copy; with a seed, copy {@code i} is seeded {@code seed + i}. */
    VectorResetResult reset(OptionalLong seed, Map<String, Object> options) throws EnvException;

    default VectorResetResult reset(long seed) throws EnvException {
        return reset(OptionalLong.of(seed), Map.of());
    }

    default VectorResetResult reset() throws EnvException {
        return reset(OptionalLong.empty(), Map.of());
    }

    /**
     * Steps every copy with its action ({@code actions.length == numEnvs()}).
     *
     * @throws InvalidArgumentException when an action is outside the action space; no copy moves
     * @throws EnvStateException before the first reset
     */
    VectorStepResult step(Object[] actions) throws EnvException;

    /**
     * Steps like {@link #step(Object[])}, and a copy {@code i} whose episode ends in this step is
     * reset with seed {@code autoresetSeed + i} instead of continuing its random generator, so every
     * episode starts from a seed the caller knows: the episode in flight is then its seed and its
     * actions since, which is what a remote env replays after a server restart. Same-step
     * autoreset only.
     *
     * @throws InvalidArgumentException with next-step autoreset, or for a negative seed
     * @throws UnsupportedOperationException when this vector env cannot seed its autoresets
     */
    default VectorStepResult step(Object[] actions, long autoresetSeed) throws EnvException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot seed its autoresets");
    }

    /** Checks the arguments of {@link #step(Object[], long)} that every implementation shares. */
    static void checkAutoresetSeed(AutoresetMode mode, long autoresetSeed, int numEnvs) throws InvalidArgumentException {
        if (mode != AutoresetMode.SAME_STEP) {
            throw new InvalidArgumentException("seeded autoresets need same-step autoreset, this vector env has " + mode);
        }
        if (autoresetSeed < 0 || autoresetSeed > Long.MAX_VALUE - numEnvs) {
            throw new InvalidArgumentException("autoreset seed must be >= 0 with room for + " + (numEnvs - 1)
                    + ", got " + autoresetSeed);
        }
    }

    /**
     * Steps every copy with its action of a {@link Discrete} action space: the actions' values, as in
     * {@link Env#step(int)}.
     *
     * @throws InvalidArgumentException when the action space is not a Discrete holding every action
     */
    default VectorStepResult step(int[] actions) throws EnvException {
        if (actions == null) {
            throw new InvalidArgumentException("actions must not be null");
        }
        Object[] values = new Object[actions.length];
        for (int i = 0; i < actions.length; i++) {
            values[i] = Long.valueOf(actions[i]);
        }
        return step(values);
    }

    @Override
    void close();
}

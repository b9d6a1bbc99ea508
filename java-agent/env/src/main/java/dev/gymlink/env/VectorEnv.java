package dev.gymlink.env;

import java.util.Map;
import java.util.OptionalLong;

/**
 * A batch of {@link #numEnvs()} copies of one env stepped together, like Gymnasium's vector envs,
 * with same-step autoreset: when copy {@code i} ends an episode during {@link #step}, it is reset
 * inside that step; the result carries the reset observation in {@code observations[i]} and the
 * episode's last observation in {@code finalObservations[i]}. So a caller never sees a transition
 * that spans two episodes and never calls reset between episodes.
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

    @Override
    void close();
}

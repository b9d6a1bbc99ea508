package dev.gymlink.env;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Gymnasium's {@code Env} API in Java: one environment, stepped one action at a time.
 *
 * <p>Lifecycle: {@link #reset} starts an episode; {@link #step} advances it until a result is
 * {@link StepResult#done() done}; then the next call must be a reset. Stepping before the first
 * reset or after an episode ended throws {@link EnvStateException}; an action outside
 * {@link #actionSpace()} throws {@link InvalidArgumentException} and leaves the env as it was.
 *
 * <p>Failures are {@link EnvException}s, unchecked (its javadoc says why); the {@code throws} clauses
 * document them. Observations and actions are {@code Object}s of the form {@link Space} describes;
 * for the common spaces there are typed shortcuts: {@link ResetResult#floatObservation()} and
 * {@link StepResult#floatObservation()} for a Box, {@link #step(int)} for a Discrete.
 *
 * <p>Seeding follows Gymnasium: {@code reset(seed)} reseeds the env's random generator, so the same
 * seed and the same actions give the same episode; a reset without a seed continues from the
 * generator's current state.
 */
public interface Env extends AutoCloseable {

    /** Registry facts: id, time limit, reward threshold. */
    EnvSpec spec();

    /** The space every observation belongs to. */
    Space observationSpace();

    /** The space {@link #step} accepts actions from. */
    Space actionSpace();

    /** Starts a new episode, reseeding first when a seed is given. */
    ResetResult reset(OptionalLong seed, Map<String, Object> options) throws EnvException;

    /** Starts a new episode without reseeding. */
    default ResetResult reset() throws EnvException {
        return reset(OptionalLong.empty(), Map.of());
    }

    /** Starts a new episode from this seed. */
    default ResetResult reset(long seed) throws EnvException {
        return reset(OptionalLong.of(seed), Map.of());
    }

    /** Advances the episode by one action, an element of {@link #actionSpace()}. */
    StepResult step(Object action) throws EnvException;

    /**
     * Advances the episode by one action of a {@link Discrete} action space: the action's value
     * (for {@code Discrete(n, start)} one of {@code start .. start + n - 1}), as in Gymnasium.
     *
     * @throws InvalidArgumentException when the action space is not a Discrete holding {@code action}
     */
    default StepResult step(int action) throws EnvException {
        return step((Object) Long.valueOf(action));
    }

    /**
     * Renders the current state as an RGB frame.
     *
     * @throws EnvStateException when the env was not made for rendering or has not been reset
     */
    default RgbFrame render() throws EnvException {
        throw new EnvStateException(spec().id() + " does not render rgb frames");
    }

    /** Releases the env; further calls fail. Closing twice is harmless. */
    @Override
    void close();
}

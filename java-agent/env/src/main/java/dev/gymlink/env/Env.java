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

    /** Advances the episode by one action. */
    StepResult step(Object action) throws EnvException;

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

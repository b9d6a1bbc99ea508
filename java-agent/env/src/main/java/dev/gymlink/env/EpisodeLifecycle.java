package dev.gymlink.env;

import dev.gymlink.env.random.NumpyRandom;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The episode bookkeeping that the Java ports of Gymnasium envs (CartPole, Pendulum) share, so they
 * behave alike where Gymnasium and the env server do: numpy seeding on reset, refusing unknown
 * reset options, refusing a step before the first reset or after the episode ended, and
 * refusing every call once closed. A helper for env implementations, not part of the API that
 * callers of {@link Env} use.
 */
public final class EpisodeLifecycle {

    private final String envId;
    private NumpyRandom random;
    private int elapsedSteps;
    private boolean episodeRunning;
    private boolean hasState;
    private boolean closed;

    /** @param envId the env's id, for error messages */
    public EpisodeLifecycle(String envId) {
        this.envId = envId;
    }

    /** @throws EnvStateException once {@link #close()} was called */
    public void checkOpen() throws EnvStateException {
        if (closed) {
            throw new EnvStateException(envId + " is closed");
        }
    }

    public void close() {
        closed = true;
    }

    /**
     * The generator for a reset, as Gymnasium's {@code reset(seed=...)}: a seed reseeds it, no seed
     * keeps the current stream (the first reset without a seed draws one from OS entropy).
     *
     * @throws InvalidArgumentException for a negative seed, which numpy refuses
     */
    public NumpyRandom random(OptionalLong seed) throws InvalidArgumentException {
        if (seed.isPresent()) {
            if (seed.getAsLong() < 0) {
                throw new InvalidArgumentException("seed must be non-negative, got " + seed.getAsLong());
            }
            random = NumpyRandom.seeded(seed.getAsLong());
        } else if (random == null) {
            random = NumpyRandom.fromEntropy();
        }
        return random;
    }

    /**
     * Refuses reset options other than {@code known}, rather than ignoring a typo.
     *
     * @param known the option names the env takes, in the order the error lists them
     */
    public void refuseUnknownOptions(Map<String, Object> options, List<String> known) throws InvalidArgumentException {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidArgumentException("unknown reset option '" + key + "' for " + envId + "; it takes "
                        + known.stream().map(name -> "'" + name + "'").collect(Collectors.joining(" and ")));
            }
        }
    }

    /** A reset has set a new state: the episode runs from step 0. */
    public void started() {
        elapsedSteps = 0;
        episodeRunning = true;
        hasState = true;
    }

    /**
     * Checks a step may be taken; comes before the action check, as in Gymnasium's OrderEnforcing
     * wrapper and the env server.
     */
    public void requireRunning() throws EnvStateException {
        if (!episodeRunning) {
            throw new EnvStateException(hasState
                    ? "the episode has ended; call reset() before step()"
                    : "call reset() before step()");
        }
    }

    /** Checks a reset has set a state, for a call such as {@code render()} that reads it. */
    public void requireState(String call) throws EnvStateException {
        if (!hasState) {
            throw new EnvStateException("call reset() before " + call + "()");
        }
    }

    /**
     * Counts a step taken.
     *
     * @return the steps taken in this episode, this one included
     */
    public int stepped() {
        return ++elapsedSteps;
    }

    /** The episode has terminated or been truncated: no step until the next reset. */
    public void ended() {
        episodeRunning = false;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsedSteps;
    }
}

package dev.gymlink.env;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link Env#reset} returns.
 *
 * @param observation first observation of the episode, an element of the observation space
 * @param info auxiliary diagnostics (never null)
 */
public record ResetResult(Object observation, Map<String, Object> info) {

    public ResetResult {
        Objects.requireNonNull(observation, "observation");
        info = Map.copyOf(info);
    }

    /**
     * The observation of a Box observation space as floats (a copy), e.g. to feed a network.
     *
     * @throws IllegalStateException when the observation is not a tensor (not a Box space)
     */
    public float[] floatObservation() {
        return Tensor.floatsOf(observation, "the observation");
    }
}

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
}

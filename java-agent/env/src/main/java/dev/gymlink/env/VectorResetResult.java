package dev.gymlink.env;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link VectorEnv#reset} returns.
 *
 * @param observations one first observation per copy
 * @param infos one info map per copy
 */
public record VectorResetResult(Object[] observations, List<Map<String, Object>> infos) {

    public VectorResetResult {
        Objects.requireNonNull(observations, "observations");
        infos = List.copyOf(infos);
        if (infos.size() != observations.length) {
            throw new IllegalArgumentException(
                    infos.size() + " infos for " + observations.length + " observations");
        }
    }

    public int numEnvs() {
        return observations.length;
    }

    /**
     * Copy {@code i}'s observation of a Box observation space as floats (a copy).
     *
     * @throws IllegalStateException when the observation is not a tensor (not a Box space)
     */
    public float[] floatObservation(int i) {
        return Tensor.floatsOf(observations[i], "the observation of copy " + i);
    }
}

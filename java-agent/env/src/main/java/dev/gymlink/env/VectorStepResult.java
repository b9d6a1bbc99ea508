package dev.gymlink.env;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link VectorEnv#step} returns, one entry per copy.
 *
 * @param observations observation after the step; for a copy that ended, the first observation of
 *     its next episode
 * @param rewards reward of the step
 * @param terminated the copy's episode reached a terminal state
 * @param truncated the copy's episode was cut short (time limit, lost connection)
 * @param finalObservations for a copy that ended in this step, its episode's last observation;
 *     null for the others
 * @param infos info of the step (for a copy that ended, the info of its reset)
 * @param finalInfos for a copy that ended, the info of its last step; empty maps for the others
 */
public record VectorStepResult(
        Object[] observations,
        double[] rewards,
        boolean[] terminated,
        boolean[] truncated,
        Object[] finalObservations,
        List<Map<String, Object>> infos,
        List<Map<String, Object>> finalInfos) {

    public VectorStepResult {
        Objects.requireNonNull(observations, "observations");
        int n = observations.length;
        if (rewards.length != n || terminated.length != n || truncated.length != n
                || finalObservations.length != n) {
            throw new IllegalArgumentException("every per-copy array must have " + n + " entries");
        }
        infos = List.copyOf(infos);
        finalInfos = List.copyOf(finalInfos);
        if (infos.size() != n || finalInfos.size() != n) {
            throw new IllegalArgumentException("infos and finalInfos must have " + n + " entries");
        }
        for (int i = 0; i < n; i++) {
            if ((terminated[i] || truncated[i]) != (finalObservations[i] != null)) {
                throw new IllegalArgumentException("copy " + i
                        + ": a final observation must be present exactly when its episode ended");
            }
        }
    }

    public int numEnvs() {
        return observations.length;
    }

    /** True when copy {@code i} ended an episode in this step. */
    public boolean done(int i) {
        return terminated[i] || truncated[i];
    }
}

package dev.gymlink.env;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link VectorEnv#step} returns, one entry per copy. What an entry of a copy that ended an
 * episode holds depends on the vector env's {@link AutoresetMode} (the table there):
 * <ul>
 *   <li>{@link AutoresetMode#SAME_STEP}: a final observation is present exactly for the copies that
 *       ended in this step, and {@code observations[i]} of such a copy is already the first
 *       observation of its next episode.
 *   <li>{@link AutoresetMode#NEXT_STEP}: there are never final observations: {@code observations[i]}
 *       of a copy that ended is its episode's last observation, and in the copy's next step its entry
 *       is its reset (reset observation and info, reward 0, neither flag), its action ignored.
 * </ul>
 * The constructor checks the final observations against the mode.
 *
 * @param observations observation after the step (see above for a copy that ended)
 * @param rewards reward of the step
 * @param terminated the copy's episode reached a terminal state
 * @param truncated the copy's episode was cut short (time limit, lost connection)
 * @param finalObservations SAME_STEP: for a copy that ended in this step, its episode's last
 *     observation, null for the others; NEXT_STEP: all null
 * @param infos info of the step (SAME_STEP: for a copy that ended, the info of its reset)
 * @param finalInfos SAME_STEP: for a copy that ended, the info of its last step; empty maps for the
 *     others and in NEXT_STEP
 * @param autoresetMode the mode of the vector env that returned this result
 */
public record VectorStepResult(
        Object[] observations,
        double[] rewards,
        boolean[] terminated,
        boolean[] truncated,
        Object[] finalObservations,
        List<Map<String, Object>> infos,
        List<Map<String, Object>> finalInfos,
        AutoresetMode autoresetMode) {

    public VectorStepResult {
        Objects.requireNonNull(observations, "observations");
        Objects.requireNonNull(autoresetMode, "autoresetMode");
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
            boolean ended = terminated[i] || truncated[i];
            boolean hasFinal = finalObservations[i] != null;
            if (autoresetMode == AutoresetMode.SAME_STEP && ended != hasFinal) {
                throw new IllegalArgumentException("copy " + i
                        + ": with same-step autoreset a final observation must be present exactly when its episode ended");
            }
            if (autoresetMode == AutoresetMode.NEXT_STEP && (hasFinal || !finalInfos.get(i).isEmpty())) {
                throw new IllegalArgumentException("copy " + i + ": with next-step autoreset there are no final "
                        + "observations or infos; the last observation is the observation");
            }
        }
    }

    /** A result of a {@link AutoresetMode#SAME_STEP same-step} vector env. */
    public VectorStepResult(Object[] observations, double[] rewards, boolean[] terminated, boolean[] truncated,
            Object[] finalObservations, List<Map<String, Object>> infos, List<Map<String, Object>> finalInfos) {
        this(observations, rewards, terminated, truncated, finalObservations, infos, finalInfos,
                AutoresetMode.SAME_STEP);
    }

    public int numEnvs() {
        return observations.length;
    }

    /** True when copy {@code i} ended an episode in this step. */
    public boolean done(int i) {
        return terminated[i] || truncated[i];
    }

    /**
     * Copy {@code i}'s observation of a Box observation space as floats (a copy).
     *
     * @throws IllegalStateException when the observation is not a tensor (not a Box space)
     */
    public float[] floatObservation(int i) {
        return Tensor.floatsOf(observations[i], "the observation of copy " + i);
    }

    /**
     * Copy {@code i}'s final observation (SAME_STEP, after {@link #done(int) done}) as floats (a copy).
     *
     * @throws IllegalStateException when there is none or it is not a tensor (not a Box space)
     */
    public float[] floatFinalObservation(int i) {
        return Tensor.floatsOf(finalObservations[i], "the final observation of copy " + i);
    }
}

package dev.gymlink.env;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link Env#step} returns. Terminated and truncated are different facts: a terminated
 * episode reached a terminal state (its value is 0, no bootstrapping), a truncated one was cut
 * short, e.g. by a time limit, and its last state still has a value.
 *
 * @param observation observation after the step
 * @param reward reward for the step
 * @param terminated the episode reached a terminal state of the MDP
 * @param truncated the episode was cut short (time limit, lost connection); bootstrap from it
 * @param info auxiliary diagnostics (never null)
 */
public record StepResult(
        Object observation, double reward, boolean terminated, boolean truncated, Map<String, Object> info) {

    public StepResult {
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

    /** True when the episode is over for either reason, so the next call must be a reset. */
    public boolean done() {
        return terminated || truncated;
    }
}

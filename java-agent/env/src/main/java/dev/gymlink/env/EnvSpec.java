package dev.gymlink.env;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What Gymnasium's registry says about an env.
 *
 * @param id registered id, e.g. {@code CartPole-v1}
 * @param maxEpisodeSteps time limit after which an episode is truncated, if any
 * @param rewardThreshold return at which the env counts as solved, if defined
 * @param nondeterministic true when the same seed may not give the same episode
 * @param entryPoint where the implementation lives, e.g. the Python entry point or a Java class name
 * @param family env family, e.g. {@code classic_control}, {@code toy_text}
 */
public record EnvSpec(
        String id,
        OptionalInt maxEpisodeSteps,
        OptionalDouble rewardThreshold,
        boolean nondeterministic,
        String entryPoint,
        String family) {

    public EnvSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(maxEpisodeSteps, "maxEpisodeSteps");
        Objects.requireNonNull(rewardThreshold, "rewardThreshold");
        Objects.requireNonNull(entryPoint, "entryPoint");
        Objects.requireNonNull(family, "family");
        if (id.isBlank()) {
            throw new IllegalArgumentException("env id must not be blank");
        }
        maxEpisodeSteps.ifPresent(steps -> {
            if (steps <= 0) {
                throw new IllegalArgumentException("maxEpisodeSteps must be positive, got " + steps);
            }
        });
    }

    /** The same spec with another time limit (Gymnasium's {@code max_episode_steps} override). */
    public EnvSpec withMaxEpisodeSteps(int steps) {
        return new EnvSpec(id, OptionalInt.of(steps), rewardThreshold, nondeterministic, entryPoint, family);
    }
}

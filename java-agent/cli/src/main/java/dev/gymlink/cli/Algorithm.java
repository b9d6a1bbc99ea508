package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnCompatibility;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.env.Box;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Space;
import java.util.Locale;
import java.util.Optional;

/** {@code --algo}: which agent trains, and which envs it can train on. */
enum Algorithm {
    /** Chosen from the env's action space: DQN for Discrete, SAC for Box. */
    AUTO,
    /** Deep Q-learning, for Discrete actions. */
    DQN,
    /** Soft actor-critic, for bounded Box actions. */
    SAC;

    /** The algorithm {@link #AUTO} picks for an action space; empty when neither can act in it. */
    static Optional<Algorithm> forActions(Space actionSpace) {
        if (actionSpace instanceof Discrete) {
            return Optional.of(DQN);
        }
        if (actionSpace instanceof Box) {
            return Optional.of(SAC);
        }
        return Optional.empty();
    }

    /** Why this algorithm cannot train on these spaces, or empty when it can. */
    Optional<String> problem(String envId, Space observationSpace, Space actionSpace) {
        return switch (this) {
            case AUTO -> Optional.empty();
            case DQN -> DqnCompatibility.problem(envId, observationSpace, actionSpace);
            case SAC -> sacProblem(envId, observationSpace, actionSpace);
        };
    }

    private static Optional<String> sacProblem(String envId, Space observationSpace, Space actionSpace) {
        if (!(actionSpace instanceof Box box)) {
            return Optional.of("SAC needs a Box action space; " + envId + " has " + actionSpace
                    + " (train it with --algo dqn)");
        }
        if (!(observationSpace instanceof Box)) {
            return Optional.of("SAC needs a Box observation space; " + envId + " has " + observationSpace);
        }
        try {
            SacAgent.requireBoundedFloatBox(box);
        } catch (IllegalArgumentException e) {
            return Optional.of(envId + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /** As {@code --algo} takes it. */
    String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

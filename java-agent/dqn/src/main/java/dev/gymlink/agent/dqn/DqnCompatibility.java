package dev.gymlink.agent.dqn;

import dev.gymlink.env.Dict;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Space;
import dev.gymlink.env.Graph;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the DQN agent can train on an env, decided from its spaces before anything is built.
 *
 * <p>DQN outputs one Q-value per action, so the action space must be {@link Discrete}. The
 * network reads a float vector, so the observation must have a fixed-size vector encoding
 * ({@link Space#flattenInto}): a {@link dev.gymlink.env.Box} of any shape (flattened), {@link Discrete} (one-hot),
 * {@link dev.gymlink.env.MultiDiscrete} (one-hot per component), {@link dev.gymlink.env.MultiBinary}, or a {@link Tuple} or
 * {@link Dict} built only of those. {@link Text} has none, and an encoding of length zero gives
 * the network no input.
 */
public final class DqnCompatibility {

    private DqnCompatibility() {}

    /**
     * Throws when the DQN agent cannot train on an env with these spaces.
     *
     * @throws IllegalArgumentException naming the env and the space that rules it out, e.g.
     *     "DQN needs a Discrete action space; Pendulum-v1 has Box(-2.0, 2.0, (1,), float32)"
     */
    public static void require(String envId, Space observationSpace, Space actionSpace) {
        Optional<String> problem = problem(envId, observationSpace, actionSpace);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** Why the DQN agent cannot train on an env with these spaces, or empty when it can. */
    public static Optional<String> problem(String envId, Space observationSpace, Space actionSpace) {
        Objects.requireNonNull(envId, "envId");
        Objects.requireNonNull(observationSpace, "observationSpace");
        Objects.requireNonNull(actionSpace, "actionSpace");
        if (!(actionSpace instanceof Discrete)) {
            return Optional.of("DQN needs a Discrete action space; " + envId + " has " + actionSpace);
        }
        Optional<String> unflattenable = unflattenablePart(observationSpace, "");
        if (unflattenable.isPresent()) {
            return Optional.of("DQN needs an observation that flattens to a vector (Box, Discrete, MultiDiscrete,"
                    + " MultiBinary, or a Tuple or Dict of those); " + envId + " has " + observationSpace
                    + unflattenable.get());
        }
        int inputs;
        try {
            inputs = observationSpace.flatDim();
        } catch (IllegalStateException e) {
            return Optional.of("DQN cannot encode the observation of " + envId + " as a vector: " + e.getMessage());
        }
        if (inputs == 0) {
            return Optional.of("DQN needs an observation with at least one element; " + envId + " has "
                    + observationSpace + ", which flattens to an empty vector");
        }
        return Optional.empty();
    }

    /**
     * The tail of the error message naming the first component without a vector encoding ({@code path}
     * is where {@code space} sits in the observation, empty at the top), or empty when there is none.
     */
    private static Optional<String> unflattenablePart(Space space, String path) {
        // Variable-size values: Gymnasium has no flatdim for them either.
        if (space instanceof Text || space instanceof Graph || space instanceof Sequence) {
            return Optional.of(path.isEmpty() ? ", which has no fixed-size vector encoding"
                    : ", whose component " + path + " is " + space + ", which has no fixed-size vector encoding");
        }
        if (space instanceof OneOf oneOf) {
            for (int i = 0; i < oneOf.spaces().size(); i++) {
                Optional<String> part = unflattenablePart(oneOf.spaces().get(i), path + "<choice " + i + ">");
                if (part.isPresent()) {
                    return part;
                }
            }
        } else if (space instanceof Tuple tuple) {
            for (int i = 0; i < tuple.spaces().size(); i++) {
                Optional<String> part = unflattenablePart(tuple.spaces().get(i), path + "[" + i + "]");
                if (part.isPresent()) {
                    return part;
                }
            }
        } else if (space instanceof Dict dict) {
            for (Map.Entry<String, Space> entry : dict.spaces().entrySet()) {
                Optional<String> part = unflattenablePart(entry.getValue(), path + "['" + entry.getKey() + "']");
                if (part.isPresent()) {
                    return part;
                }
            }
        }
        // Box, Discrete, MultiDiscrete and MultiBinary all have vector encodings; a OneOf of them too.
        return Optional.empty();
    }
}

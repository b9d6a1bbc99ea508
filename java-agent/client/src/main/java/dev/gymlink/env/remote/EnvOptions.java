package dev.gymlink.env.remote;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How to make a remote env: what {@code gymnasium.make} gets on the server, and how the client
 * talks to it. Start from {@link #of(String)} (which holds every default) and change what differs:
 * {@code EnvOptions.of("CartPole-v1").withSeed(7).withRequestDeadline(Duration.ofSeconds(2))}.
 *
 * @param envId registered Gymnasium id, e.g. {@code CartPole-v1}
 * @param seed seeds the first reset of every session (copy {@code i} gets {@code seed + i}); a
 *     seed passed to reset overrides it
 * @param kwargs keyword arguments for {@code gymnasium.make}, e.g. {@code is_slippery=false};
 *     values are Boolean, Long, Double, String, Tensor, List or Map
 * @param maxEpisodeSteps overrides the registered time limit
 * @param renderMode {@code rgb_array} to allow {@code render()}
 * @param requestDeadline how long a reset, step, render or close may take before the client gives up
 * @param makeDeadline how long making the env may take (imports and construction can be slow)
 * @param reconnect what to do when the connection is lost
 * @param maxInboundMessageBytes largest response accepted, e.g. for image observations
 * @param connectionListener hears about lost connections, reconnects and replays
 */
public record EnvOptions(
        String envId,
        OptionalLong seed,
        Map<String, Object> kwargs,
        OptionalInt maxEpisodeSteps,
        Optional<String> renderMode,
        Duration requestDeadline,
        Duration makeDeadline,
        ReconnectPolicy reconnect,
        int maxInboundMessageBytes,
        ConnectionListener connectionListener) {

    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAKE_DEADLINE = Duration.ofSeconds(60);
    /** Well above gRPC's 4 MiB default, so that image observations of a whole vector fit. */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

    public EnvOptions {
        Objects.requireNonNull(envId, "envId");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(maxEpisodeSteps, "maxEpisodeSteps");
        Objects.requireNonNull(renderMode, "renderMode");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(connectionListener, "connectionListener");
        if (envId.isBlank()) {
            throw new IllegalArgumentException("envId must not be blank");
        }
        kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        maxEpisodeSteps.ifPresent(steps -> {
            if (steps <= 0) {
                throw new IllegalArgumentException("maxEpisodeSteps must be positive, got " + steps);
            }
        });
        requirePositive(requestDeadline, "requestDeadline");
        requirePositive(makeDeadline, "makeDeadline");
        if (maxInboundMessageBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxInboundMessageBytes must be positive, got " + maxInboundMessageBytes);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /** Defaults for everything but the id: unseeded, no kwargs, registered time limit, no rendering. */
    public static EnvOptions of(String envId) {
        return new EnvOptions(envId, OptionalLong.empty(), Map.of(), OptionalInt.empty(), Optional.empty(),
                DEFAULT_REQUEST_DEADLINE, DEFAULT_MAKE_DEADLINE, ReconnectPolicy.DEFAULT,
                DEFAULT_MAX_INBOUND_MESSAGE_BYTES, ConnectionListener.NONE);
    }

    public EnvOptions withSeed(long newSeed) {
        return new EnvOptions(envId, OptionalLong.of(newSeed), kwargs, maxEpisodeSteps, renderMode, requestDeadline,
                makeDeadline, reconnect, maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withKwargs(Map<String, ?> newKwargs) {
        return new EnvOptions(envId, seed, new LinkedHashMap<String, Object>(newKwargs), maxEpisodeSteps, renderMode,
                requestDeadline, makeDeadline, reconnect, maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withMaxEpisodeSteps(int steps) {
        return new EnvOptions(envId, seed, kwargs, OptionalInt.of(steps), renderMode, requestDeadline, makeDeadline,
                reconnect, maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withRenderMode(String mode) {
        return new EnvOptions(envId, seed, kwargs, maxEpisodeSteps, Optional.of(mode), requestDeadline, makeDeadline,
                reconnect, maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withRequestDeadline(Duration deadline) {
        return new EnvOptions(envId, seed, kwargs, maxEpisodeSteps, renderMode, deadline, makeDeadline, reconnect,
                maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withMakeDeadline(Duration deadline) {
        return new EnvOptions(envId, seed, kwargs, maxEpisodeSteps, renderMode, requestDeadline, deadline, reconnect,
                maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withReconnect(ReconnectPolicy policy) {
        return new EnvOptions(envId, seed, kwargs, maxEpisodeSteps, renderMode, requestDeadline, makeDeadline, policy,
                maxInboundMessageBytes, connectionListener);
    }

    public EnvOptions withMaxInboundMessageBytes(int bytes) {
        return new EnvOptions(envId, seed, kwargs, maxEpisodeSteps, renderMode, requestDeadline, makeDeadline,
                reconnect, bytes, connectionListener);
    }

    public EnvOptions withConnectionListener(ConnectionListener listener) {
        return new EnvOptions(envId, seed, kwargs, maxEpisodeSteps, renderMode, requestDeadline, makeDeadline,
                reconnect, maxInboundMessageBytes, listener);
    }
}

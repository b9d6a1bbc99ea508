package dev.gymlink.env.remote;

import com.google.common.util.concurrent.MoreExecutors;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvSecurityException;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.Space;
import dev.gymlink.proto.v1.AutoresetMode;
import dev.gymlink.proto.v1.Close;
import dev.gymlink.proto.v1.Made;
import dev.gymlink.proto.v1.Make;
import dev.gymlink.proto.v1.Render;
import dev.gymlink.proto.v1.Reset;
import dev.gymlink.proto.v1.SessionRequest;
import dev.gymlink.proto.v1.SessionResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client side of one env session, shared by {@link RemoteEnv} and {@link RemoteVectorEnv}:
 * makes the env, sends each request with the request deadline, turns {@code Error} answers and
 * stream statuses into {@link EnvException}s, and re-makes the session after a lost connection.
 * How an interrupted episode is reported is the env's business, so a lost connection surfaces here
 * as a {@link ConnectionLostException}.
 */
final class RemoteSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RemoteSession.class.getName());

    private final Channel channel;
    private final EnvOptions options;
    private final SessionRequest makeRequest;
    private final String target;
    private SessionCall call;
    private Made made;
    private boolean closed;

    private RemoteSession(Channel channel, EnvOptions options, SessionRequest makeRequest) {
        this.channel = channel;
        this.options = options;
        this.makeRequest = makeRequest;
        this.target = channel.authority();
    }

    /**
     * Makes the env: a vector session of {@code numEnvs} copies with the given autoreset mode, or a
     * plain session when the mode is empty. A server that cannot be reached fails at once: retrying
     * is for sessions that were working, not for a wrong address.
     */
    static RemoteSession open(Channel channel, EnvOptions options, int numEnvs,
            Optional<dev.gymlink.env.AutoresetMode> vectorMode) throws EnvException {
        RemoteSession session = new RemoteSession(channel, options, makeRequest(options, numEnvs, vectorMode));
        try {
            session.made = session.startSession();
        } catch (ConnectionLostException e) {
            Optional<EnvSecurityException> security = session.securityProblem(e);
            if (security.isPresent()) {
                throw security.get();
            }
            throw new EnvUnavailableException("cannot make " + options.envId() + " on " + session.target
                    + ": the server is unreachable (" + e.getMessage() + ")", e);
        }
        return session;
    }

    private static SessionRequest makeRequest(EnvOptions options, int numEnvs,
            Optional<dev.gymlink.env.AutoresetMode> vectorMode) throws InvalidArgumentException {
        Make.Builder make = Make.newBuilder()
                .setEnvId(options.envId())
                .setNumEnvs(numEnvs)
                .setVector(vectorMode.isPresent())
                .putAllKwargs(ValueCodec.toValues(options.kwargs(), "kwarg"));
        vectorMode.ifPresent(mode -> make.setAutoresetMode(toProto(mode)));
        options.seed().ifPresent(make::setSeed);
        options.maxEpisodeSteps().ifPresent(make::setMaxEpisodeSteps);
        options.renderMode().ifPresent(make::setRenderMode);
        return SessionRequest.newBuilder().setMake(make).build();
    }

    /** The wire form of an autoreset mode. */
    static AutoresetMode toProto(dev.gymlink.env.AutoresetMode mode) {
        return switch (mode) {
            case SAME_STEP -> AutoresetMode.AUTORESET_MODE_SAME_STEP;
            case NEXT_STEP -> AutoresetMode.AUTORESET_MODE_NEXT_STEP;
        };
    }

    /** A Reset request: Gymnasium's {@code reset(seed=..., options=...)}. */
    static SessionRequest resetRequest(OptionalLong seed, Map<String, ?> options) throws InvalidArgumentException {
        Reset.Builder reset = Reset.newBuilder().putAllOptions(ValueCodec.toValues(options, "reset option"));
        seed.ifPresent(reset::setSeed);
        return SessionRequest.newBuilder().setReset(reset).build();
    }

    Made made() {
        return made;
    }

    String envId() {
        return options.envId();
    }

    String target() {
        return target;
    }

    /**
     * Renders copy {@code envIndex}. A render is not replayed: when it times out (the session is
     * abandoned) or the connection is lost (the session is re-made), no episode runs any more, so
     * {@code episodesLost} is told why before the call fails.
     */
    RgbFrame render(int envIndex, Consumer<String> episodesLost) throws EnvException {
        SessionRequest request = SessionRequest.newBuilder().setRender(Render.newBuilder().setEnvIndex(envIndex)).build();
        SessionResponse response;
        try {
            response = exchange(request, "render");
        } catch (EnvUnavailableException timedOut) {
            episodesLost.accept("a render timed out and the session was abandoned");
            throw timedOut;
        } catch (ConnectionLostException lost) {
            reconnect(lost, "render");
            episodesLost.accept("the connection was lost during a render");
            throw new EnvStateException(context("render") + ": the connection was lost and the session re-made;"
                    + " reset before rendering");
        }
        expect(response, SessionResponse.ResponseCase.FRAME, "render");
        return decode("frame", () -> TensorCodec.fromProto(response.getFrame()));
    }

    /**
     * Sends one request and returns its answer, which is never an {@code Error}.
     *
     * @throws ConnectionLostException when the stream broke; call {@link #reconnect} next
     * @throws EnvUnavailableException when no answer came within the request deadline; the stream
     *     is then abandoned and the next request makes a new session
     * @throws EnvException for an {@code Error} answer or another failure status
     */
    SessionResponse exchange(SessionRequest request, String kind) throws EnvException, ConnectionLostException {
        if (closed) {
            throw new EnvStateException(options.envId() + " on " + target + " is closed; " + kind + " is not possible");
        }
        if (call == null || call.isEnded()) {
            made = checkSameEnv(startSession());
        }
        SessionResponse response = await(call, request, kind, options.requestDeadline());
        if (response.hasError()) {
            throw StatusMapping.fromError(response.getError(), context(kind));
        }
        return response;
    }

    /** Like {@link #exchange}, reconnecting and sending again once when the connection was lost. */
    SessionResponse exchangeReconnecting(SessionRequest request, String kind) throws EnvException {
        try {
            return exchange(request, kind);
        } catch (ConnectionLostException lost) {
            reconnect(lost, kind);
            try {
                return exchange(request, kind);
            } catch (ConnectionLostException again) {
                throw new EnvUnavailableException(context(kind) + ": the connection was lost again right after "
                        + "reconnecting (" + again.getMessage() + ")", again);
            }
        }
    }

    /**
     * Re-makes the session with the same Make request, retrying with exponential backoff while the
     * server is unreachable.
     *
     * @throws EnvUnavailableException when every attempt failed or reconnecting is disabled
     * @throws EnvException when the server answers but refuses the env now
     */
    void reconnect(ConnectionLostException lost, String kind) throws EnvException {
        ReconnectPolicy policy = options.reconnect();
        String what = "the connection to " + target + " was lost during " + kind + " of " + options.envId()
                + " (" + lost.getMessage() + ")";
        event(ConnectionListener.Kind.LOST, "during " + kind + ": " + lost.getMessage());
        if (policy.maxAttempts() == 0) {
            event(ConnectionListener.Kind.GAVE_UP, "reconnecting is disabled");
            throw new EnvUnavailableException(what + "; reconnecting is disabled", lost);
        }
        LOG.log(System.Logger.Level.WARNING, what + "; reconnecting");
        long started = System.nanoTime();
        ConnectionLostException last = lost;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            sleep(policy.backoffBefore(attempt), kind);
            if (channel instanceof ManagedChannel managed) {
                // Otherwise the channel may sit out its own (up to 2 min) reconnect backoff.
                managed.resetConnectBackoff();
            }
            try {
                made = checkSameEnv(startSession());
                String remade = "re-made after " + attempt + " attempt(s) in "
                        + describe(Duration.ofNanos(System.nanoTime() - started)) + ", session " + made.getSessionId();
                LOG.log(System.Logger.Level.INFO, options.envId() + " on " + target + ": " + remade);
                event(ConnectionListener.Kind.RECONNECTED, remade);
                return;
            } catch (ConnectionLostException e) {
                Optional<EnvSecurityException> security = securityProblem(e);
                if (security.isPresent()) {
                    // The server came back with other security settings: waiting longer will not help.
                    throw security.get();
                }
                last = e;
            }
        }
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        event(ConnectionListener.Kind.GAVE_UP, "gave up after " + policy.maxAttempts() + " attempts over "
                + describe(spent) + ": " + last.getMessage());
        throw new EnvUnavailableException(what + "; gave up after " + policy.maxAttempts() + " attempts over "
                + describe(spent) + ", last failure: " + last.getMessage(), last);
    }

    /** Rebuilds the episodes in flight on a re-made session; says how the replay differed, if it did. */
    @FunctionalInterface
    interface Replayer {
        Optional<String> replay() throws EnvException, ConnectionLostException;
    }

    /**
     * After {@link #reconnect}: replays the episodes in flight, then sends the lost step again and
     * returns its answer. Empty when they cannot be replayed, the replay differs or fails; the
     * caller then ends them as truncated. The listener hears which.
     *
     * @param what the episodes, for messages: "the episode in flight", "4 episodes in flight"
     */
    Optional<SessionResponse> replayAndResend(EpisodesInFlight episodes, Replayer replayer, SessionRequest lostStep,
            String what) throws EnvException {
        Optional<String> why = episodes.whyNotReplayable();
        if (why.isEmpty()) {
            long started = System.nanoTime();
            try {
                why = replayer.replay().map(difference -> "the replay differed from the original: " + difference);
                if (why.isEmpty()) {
                    event(ConnectionListener.Kind.REPLAYED, "replayed " + episodes.steps() + " steps of " + what
                            + " in " + describe(Duration.ofNanos(System.nanoTime() - started))
                            + ", every observation identical");
                    return Optional.of(exchange(lostStep, "step"));
                }
            } catch (ConnectionLostException again) {
                why = Optional.of("the connection was lost again during the replay (" + again.getMessage() + ")");
            } catch (EnvException refused) {
                why = Optional.of("the server refused the replay: " + refused.getMessage());
            }
        }
        event(ConnectionListener.Kind.TRUNCATED, what + " ended truncated: " + why.get());
        return Optional.empty();
    }

    /** Tells the options' {@link ConnectionListener}; a listener that fails is logged, not propagated. */
    void event(ConnectionListener.Kind kind, String detail) {
        try {
            options.connectionListener().onEvent(
                    new ConnectionListener.Event(kind, options.envId(), target, detail, java.time.Instant.now()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection listener failed on " + kind, e);
        }
    }

    /** What a security mismatch (TLS, certificates, token) behind a lost connection is, if it is one. */
    private Optional<EnvSecurityException> securityProblem(ConnectionLostException lost) {
        return ConnectionDiagnosis.of(lost.status(), target, GymlinkChannels.securityOf(channel));
    }

    /** Opens a stream and makes the env on it. */
    private Made startSession() throws EnvException, ConnectionLostException {
        CallOptions callOptions = CallOptions.DEFAULT
                // The listener only enqueues, so it may run on the transport thread: one thread hop less per step.
                .withExecutor(MoreExecutors.directExecutor())
                .withMaxInboundMessageSize(options.maxInboundMessageBytes());
        call = SessionCall.start(channel, callOptions);
        SessionResponse response = await(call, makeRequest, "make", options.makeDeadline());
        if (response.hasError()) {
            call.cancel("make failed");
            throw StatusMapping.fromError(response.getError(), context("make"));
        }
        expect(response, SessionResponse.ResponseCase.MADE, "make");
        return response.getMade();
    }

    /** A re-made session must be the env the caller already holds spaces of. */
    private Made checkSameEnv(Made remade) throws EnvInternalException {
        if (made != null) {
            Space observations = decode("observation space", () -> SpaceCodec.fromProto(remade.getObservationSpace()));
            Space actions = decode("action space", () -> SpaceCodec.fromProto(remade.getActionSpace()));
            Space oldObservations = SpaceCodec.fromProto(made.getObservationSpace());
            Space oldActions = SpaceCodec.fromProto(made.getActionSpace());
            if (!observations.equals(oldObservations) || !actions.equals(oldActions)
                    || remade.getNumEnvs() != made.getNumEnvs()) {
                call.cancel("the env changed");
                throw new EnvInternalException("the server re-made " + options.envId() + " on " + target
                        + " with different spaces: observations " + observations + " (was " + oldObservations
                        + "), actions " + actions + " (was " + oldActions + ")");
            }
        }
        return remade;
    }

    private SessionResponse await(SessionCall on, SessionRequest request, String kind, Duration deadline)
            throws EnvException, ConnectionLostException {
        SessionCall.Event event;
        try {
            event = on.exchange(request, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            on.cancel("interrupted");
            throw new EnvUnavailableException(context(kind) + ": interrupted while waiting for the answer", e);
        }
        if (event == null) {
            on.cancel(kind + " deadline of " + describe(deadline) + " exceeded");
            throw new EnvUnavailableException(options.envId() + ": no answer to " + kind + " from " + target
                    + " within the " + (kind.equals("make") ? "make" : "request") + " deadline of "
                    + describe(deadline) + "; the session was abandoned (a slow env or a hung server; raise "
                    + (kind.equals("make") ? "EnvOptions.makeDeadline" : "EnvOptions.requestDeadline")
                    + " if the env is just slow)");
        }
        if (event instanceof SessionCall.Ended ended) {
            if (isConnectionLoss(ended.status())) {
                throw new ConnectionLostException(ended.status());
            }
            throw StatusMapping.fromStatus(ended.status(), context(kind));
        }
        return ((SessionCall.Answer) event).response();
    }

    /**
     * Ends of the session that are not about the request: the server vanished (UNAVAILABLE),
     * cancelled the stream while shutting down (CANCELLED; this side only cancels streams it then
     * drops), closed it after its idle timeout (DEADLINE_EXCEEDED; the client sets no gRPC deadline
     * on a session), or ended it without answering (OK).
     */
    private static boolean isConnectionLoss(Status status) {
        return switch (status.getCode()) {
            case UNAVAILABLE, CANCELLED, DEADLINE_EXCEEDED, OK -> true;
            default -> false;
        };
    }

    void expect(SessionResponse response, SessionResponse.ResponseCase expected, String kind)
            throws EnvInternalException {
        if (response.getResponseCase() != expected) {
            if (call != null) {
                call.cancel("protocol violation");
            }
            throw new EnvInternalException(context(kind) + ": the server answered with "
                    + response.getResponseCase() + " instead of " + expected);
        }
    }

    /** Runs a decoder over server data, turning malformed data into an {@link EnvInternalException}. */
    <T> T decode(String what, Supplier<T> decoder) throws EnvInternalException {
        try {
            return decoder.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new EnvInternalException("malformed " + what + " from " + target + " for " + options.envId()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Info of a step that the lost connection cut short. */
    static Map<String, Object> connectionLostInfo(ConnectionLostException lost) {
        return Map.of(RemoteEnvs.CONNECTION_LOST, true, RemoteEnvs.CONNECTION_LOST_CAUSE, lost.getMessage());
    }

    String context(String kind) {
        return options.envId() + " " + kind + " on " + target;
    }

    /** Closes the env on the server; never throws: the stream is abandoned when closing fails. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (call == null || call.isEnded()) {
            return;
        }
        SessionRequest close = SessionRequest.newBuilder().setClose(Close.getDefaultInstance()).build();
        try {
            SessionCall.Event event = call.exchange(close, options.requestDeadline());
            if (event instanceof SessionCall.Answer answer && answer.response().hasClosed()) {
                call.finish(options.requestDeadline());
            } else {
                call.cancel("close was not answered with closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel("interrupted while closing");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + options.envId() + " on " + target + " failed", e);
            call.cancel("closing failed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void sleep(Duration duration, String kind) throws EnvUnavailableException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvUnavailableException(context(kind) + ": interrupted while reconnecting", e);
        }
    }

    /** A duration as people write it: 250 ms, 10 s, 1.5 s. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0
                ? millis / 1000 + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}

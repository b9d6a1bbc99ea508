package dev.gymlink.env.remote;

import dev.gymlink.proto.v1.EnvServiceGrpc;
import dev.gymlink.proto.v1.SessionRequest;
import dev.gymlink.proto.v1.SessionResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code Session} stream driven in lockstep: each request waits for its answer or for the end
 * of the stream, for at most a caller-given time. Per-request deadlines are kept here rather than as
 * a gRPC deadline because a gRPC deadline would bound the whole stream, which lives as long as the
 * env. Used from one thread at a time, like the env that owns it.
 */
final class SessionCall {

    /** What came back: an answer, or the end of the stream with its status. */
    sealed interface Event permits Answer, Ended {}

    record Answer(SessionResponse response) implements Event {}

    record Ended(Status status) implements Event {}

    private final ClientCall<SessionRequest, SessionResponse> call;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private Ended ended;

    private SessionCall(ClientCall<SessionRequest, SessionResponse> call) {
        this.call = call;
    }

    static SessionCall start(Channel channel, CallOptions options) {
        SessionCall session = new SessionCall(channel.newCall(EnvServiceGrpc.getSessionMethod(), options));
        session.call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(SessionResponse message) {
                session.events.add(new Answer(message));
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                session.events.add(new Ended(status));
            }
        }, new Metadata());
        return session;
    }

    /**
     * Sends a request and waits for what comes back.
     *
     * @return the answer or the end of the stream; null when nothing came within the timeout
     */
    Event exchange(SessionRequest request, Duration timeout) throws InterruptedException {
        Event pending = events.poll();
        if (pending != null) {
            // In lockstep nothing is pending except the end of the stream.
            return remember(pending);
        }
        if (ended != null) {
            return ended;
        }
        call.sendMessage(request);
        call.request(1);
        return remember(events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private Event remember(Event event) {
        if (event instanceof Ended end) {
            ended = end;
        }
        return event;
    }

    /** Ends the stream from this side after a Closed answer; waits a little for the server's OK. */
    void finish(Duration timeout) throws InterruptedException {
        if (ended != null) {
            return;
        }
        call.halfClose();
        long deadline = System.nanoTime() + timeout.toNanos();
        Event event;
        while ((event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            if (event instanceof Ended end) {
                ended = end;
                return;
            }
        }
        cancel("the server did not end the stream after closing the env");
    }

    /** Abandons the stream; the server closes the env when it sees the cancellation. */
    void cancel(String reason) {
        if (ended == null) {
            call.cancel(reason, null);
            ended = new Ended(Status.CANCELLED.withDescription(reason));
        }
    }

    boolean isEnded() {
        return ended != null;
    }
}

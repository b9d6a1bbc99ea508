package dev.gymlink.env.remote;

import java.time.Instant;

/**
 * Hears what a remote env does about its connection: losing it, re-making its session, replaying
 * the episodes in flight, or falling back to ending them. Called on the thread that uses the env,
 * so it should be quick; a listener that throws does not disturb the env (the error is logged).
 * The CLI writes these to the run directory's {@code events.log}.
 */
@FunctionalInterface
public interface ConnectionListener {

    /** Nobody listens. */
    ConnectionListener NONE = event -> {};

    void onEvent(Event event);

    /** What happened. */
    enum Kind {
        /** The connection broke during a request. */
        LOST,
        /** The session was re-made on the server after a lost connection. */
        RECONNECTED,
        /** The episodes in flight were rebuilt exactly by replaying their seeds and actions. */
        REPLAYED,
        /** The episodes in flight could not be rebuilt and were reported as truncated. */
        TRUNCATED,
        /** Reconnecting failed for good. */
        GAVE_UP
    }

    /**
     * One event.
     *
     * @param kind what happened
     * @param envId the env concerned
     * @param target the server, as the channel names it
     * @param detail a sentence with the specifics (the status that broke the connection, steps replayed, ...)
     * @param time when it happened
     */
    record Event(Kind kind, String envId, String target, String detail, Instant time) {}
}

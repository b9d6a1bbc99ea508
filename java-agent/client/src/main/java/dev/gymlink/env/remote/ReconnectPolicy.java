package dev.gymlink.env.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * How a remote env re-establishes a lost connection: up to {@code maxAttempts} attempts, waiting
 * {@code initialBackoff} before the first and multiplying the wait by {@code multiplier} up to
 * {@code maxBackoff} between the next ones.
 *
 * @param maxAttempts attempts before giving up; 0 disables reconnecting
 * @param initialBackoff wait before the first attempt
 * @param maxBackoff longest wait between attempts
 * @param multiplier growth of the wait from one attempt to the next, at least 1
 */
public record ReconnectPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    /** About 20 s of attempts in total: enough for a server restart, short enough to notice a dead one. */
    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0);

    /** Never reconnect: a lost connection fails the request with an {@code EnvUnavailableException}. */
    public static final ReconnectPolicy DISABLED = new ReconnectPolicy(0, Duration.ZERO, Duration.ZERO, 1.0);

    public ReconnectPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must not be negative, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, got initial "
                    + initialBackoff + ", max " + maxBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    /** The wait before attempt {@code attempt} (1-based). */
    public Duration backoffBefore(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }
}

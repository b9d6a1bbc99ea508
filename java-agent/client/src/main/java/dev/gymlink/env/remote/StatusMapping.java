package dev.gymlink.env.remote;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvForbiddenException;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvLimitException;
import dev.gymlink.env.EnvNotFoundException;
import dev.gymlink.env.EnvSecurityException;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import io.grpc.Status;

/**
 * gRPC statuses and {@code Error} responses as the {@link EnvException} subclass of their code,
 * with the server's message and what the client was doing. One place, so that every remote call
 * reports a failure the same way.
 */
final class StatusMapping {

    private StatusMapping() {}

    /** The exception for a gRPC status code, carrying the server's message. */
    static EnvException exceptionFor(Status.Code code, String message) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidArgumentException(message);
            case NOT_FOUND -> new EnvNotFoundException(message);
            case PERMISSION_DENIED -> new EnvForbiddenException(message);
            case UNAUTHENTICATED -> new EnvSecurityException(message);
            case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> new EnvStateException(message);
            case RESOURCE_EXHAUSTED -> new EnvLimitException(message);
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> new EnvUnavailableException(message);
            default -> new EnvInternalException(message);
        };
    }

    /**
     * The status's description; after grpc-java's bare "io exception" also what the transport said
     * ("Connection refused: /127.0.0.1:50051", FileNotFoundException for a mistyped unix socket path).
     */
    static String describe(Status status) {
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        Throwable cause = status.getCause();
        if (description.equals("io exception") && cause != null) {
            String transport = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            return description + ": " + transport;
        }
        return description;
    }

    /** A stream-level failure: the status's code and description, plus what was being done. */
    static EnvException fromStatus(Status status, String context) {
        String description = describe(status);
        EnvException exception = exceptionFor(status.getCode(),
                description + " (" + context + ", status " + status.getCode() + ")");
        if (status.getCause() != null) {
            exception.initCause(status.getCause());
        }
        return exception;
    }

    /** A request-level failure ({@code Error} response); the session stays usable. */
    static EnvException fromError(dev.gymlink.proto.v1.Error error, String context) {
        Status.Code code = Status.fromCodeValue(error.getCode()).getCode();
        return exceptionFor(code, error.getMessage() + " (" + context + ", status " + code + ")");
    }
}

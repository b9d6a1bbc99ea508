package dev.gymlink.env;

/** The env could not be reached in time: connection refused or lost, deadline exceeded (UNAVAILABLE, DEADLINE_EXCEEDED). */
public class EnvUnavailableException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvUnavailableException(String message) {
        super(message);
    }

    public EnvUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

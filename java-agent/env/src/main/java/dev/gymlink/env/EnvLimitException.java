package dev.gymlink.env;

/** A server limit was hit: too many sessions, or a message over the size cap (RESOURCE_EXHAUSTED). */
public class EnvLimitException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvLimitException(String message) {
        super(message);
    }

    public EnvLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}

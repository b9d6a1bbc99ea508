package dev.gymlink.env;

/** A request the env cannot take: an action outside the action space, bad kwargs or options (INVALID_ARGUMENT). */
public class InvalidArgumentException extends EnvException {

    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}

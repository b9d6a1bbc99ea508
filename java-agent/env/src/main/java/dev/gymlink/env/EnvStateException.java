package dev.gymlink.env;

/** The env is not in a state to take the request, e.g. a step before the first reset or after an episode ended (FAILED_PRECONDITION). */
public class EnvStateException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvStateException(String message) {
        super(message);
    }

    public EnvStateException(String message, Throwable cause) {
        super(message, cause);
    }
}

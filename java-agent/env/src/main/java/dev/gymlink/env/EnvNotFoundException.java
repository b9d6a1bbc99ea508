package dev.gymlink.env;

/** No env is registered under the requested id (NOT_FOUND); the message lists close matches when there are any. */
public class EnvNotFoundException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvNotFoundException(String message) {
        super(message);
    }

    public EnvNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.gymlink.env;

/**
 * Every failure of an environment, local or remote. Subclasses say what kind of failure it was
 * (they mirror the gRPC status codes the env server uses), the message says exactly what.
 */
public class EnvException extends Exception {

    private static final long serialVersionUID = 1L;

    public EnvException(String message) {
        super(message);
    }

    public EnvException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.gymlink.env;

/** The env id is not allowed by the server, e.g. not on its allowlist or {@code module:Env} syntax (PERMISSION_DENIED). */
public class EnvForbiddenException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvForbiddenException(String message) {
        super(message);
    }

    public EnvForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}

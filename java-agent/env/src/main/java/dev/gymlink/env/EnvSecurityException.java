package dev.gymlink.env;

/**
 * The client and the server disagree about security: the server's certificate is not trusted or
 * not valid for the name used, one side speaks TLS and the other does not, a client certificate is
 * missing, or the bearer token is missing or rejected (UNAUTHENTICATED). Retrying does not help;
 * the message says what to change.
 */
public class EnvSecurityException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvSecurityException(String message) {
        super(message);
    }

    public EnvSecurityException(String message, Throwable cause) {
        super(message, cause);
    }
}

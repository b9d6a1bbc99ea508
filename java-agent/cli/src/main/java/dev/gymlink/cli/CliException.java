package dev.gymlink.cli;

/**
 * A failure the user can fix, with a one-line message that says what to do. Printed without a
 * stack trace (unless {@code --verbose}).
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}

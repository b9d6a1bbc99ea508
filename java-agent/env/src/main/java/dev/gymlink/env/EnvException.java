package dev.gymlink.env;

/**
 * Every failure of an environment, local or remote. Subclasses say what kind of failure it was
 * (they mirror the gRPC status codes the env server uses), the message says exactly what.
 *
 * <p><b>Why unchecked.</b> Env calls sit in the innermost loop of every agent, often inside lambdas,
 * streams and callbacks whose functional interfaces declare no exceptions, and almost no caller can
 * do anything about a failed step but stop: a checked exception would only make every such caller
 * wrap or redeclare it. Gymnasium, whose API this is, raises unchecked errors too. So this is a
 * {@link RuntimeException}; the methods that throw it still list it (and the subclasses that matter)
 * in their {@code throws} clauses as documentation. Catch a subclass where there is a real
 * recovery, e.g. {@link EnvUnavailableException} to retry later, {@link InvalidArgumentException}
 * to fix an action, {@link EnvStateException} to reset.
 */
public class EnvException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EnvException(String message) {
        super(message);
    }

    public EnvException(String message, Throwable cause) {
        super(message, cause);
    }
}

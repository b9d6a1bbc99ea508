package dev.gymlink.cli;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvForbiddenException;
import dev.gymlink.env.EnvLimitException;
import dev.gymlink.env.EnvNotFoundException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns any failure of a command into the one line a user sees on stderr: what went wrong and
 * what to do about it. The stack trace is printed only with {@code --verbose}.
 */
final class ErrorReport {

    private ErrorReport() {}

    /** The one line for this failure, without the "gymlink: " prefix. */
    static String describe(Throwable failure) {
        Throwable error = unwrap(failure);
        String message = oneLine(error.getMessage());
        if (error instanceof CliException) {
            return message;
        }
        if (error instanceof EnvUnavailableException) {
            return message + " (is the env server running and reachable? start one with 'python -m gymlink_server'"
                    + " or 'docker run -p 50051:50051 gymlink/env-server', then pass its HOST:PORT to --server)";
        }
        if (error instanceof EnvForbiddenException) {
            return message + " (see which envs the server allows with '" + Gymlink.programName()
                    + " envs --server HOST:PORT')";
        }
        if (error instanceof EnvNotFoundException) {
            return message + " (list the ids a server offers with '" + Gymlink.programName() + " envs --server HOST:PORT')";
        }
        if (error instanceof EnvLimitException) {
            return message + " (use fewer --num-envs, more servers, or raise the server's limits)";
        }
        if (error instanceof InvalidArgumentException || error instanceof EnvException) {
            return message;
        }
        if (error instanceof NoSuchFileException) {
            return "no such file or directory: " + message;
        }
        if (error instanceof AccessDeniedException) {
            return "permission denied: " + message;
        }
        if (error instanceof IllegalArgumentException) {
            // Config records validate in their constructors with messages naming the bad value.
            return message;
        }
        return "unexpected " + error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                + " (run again with --verbose for the stack trace)";
    }

    /** Prints the line, and with {@code verbose} the stack trace under it. */
    static void print(Throwable failure, boolean verbose, PrintWriter err) {
        err.println("gymlink: " + describe(failure));
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable error = failure;
        while ((error instanceof UncheckedIOException || error instanceof java.util.concurrent.ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}

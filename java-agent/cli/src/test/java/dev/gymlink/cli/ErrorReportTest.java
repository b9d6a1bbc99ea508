package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.EnvForbiddenException;
import dev.gymlink.env.EnvNotFoundException;
import dev.gymlink.env.EnvUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorReportTest {

    @Test
    void everyFailureIsOneLineWithWhatToDo() {
        assertEquals("fix this", ErrorReport.describe(new CliException("fix this")));
        assertTrue(ErrorReport.describe(new EnvUnavailableException("cannot reach h:1"))
                .startsWith("cannot reach h:1 (is the env server running"));
        assertTrue(ErrorReport.describe(new EnvForbiddenException("not allowed")).contains("envs --server"));
        assertTrue(ErrorReport.describe(new EnvNotFoundException("unknown id")).contains("envs --server"));
        String multiLine = ErrorReport.describe(new IllegalStateException("first\n  second\r\nthird"));
        assertFalse(multiLine.contains("\n") || multiLine.contains("\r"), multiLine);
        assertTrue(multiLine.contains("first; second; third"), multiLine);
        assertTrue(multiLine.contains("--verbose"), "unexpected failures point at --verbose: " + multiLine);
    }

    @Test
    void wrappedIoFailuresShowTheirCause() {
        String line = ErrorReport.describe(new UncheckedIOException("writing", new IOException("disk full")));
        assertTrue(line.contains("disk full"), line);
    }

    @Test
    void theStackTraceOnlyWithVerbose() {
        StringWriter quiet = new StringWriter();
        ErrorReport.print(new CliException("fix this"), false, new PrintWriter(quiet));
        assertEquals("gymlink: fix this" + System.lineSeparator(), quiet.toString());

        StringWriter verbose = new StringWriter();
        ErrorReport.print(new CliException("fix this"), true, new PrintWriter(verbose));
        assertTrue(verbose.toString().contains("\tat dev.gymlink.cli.ErrorReportTest"), verbose.toString());
    }
}

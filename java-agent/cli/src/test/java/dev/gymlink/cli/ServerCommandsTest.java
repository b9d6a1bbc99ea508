package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.testkit.PythonEnvServer;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code envs} and {@code parity} against the real Python env server, and how they fail. */
@Timeout(120)
class ServerCommandsTest {

    @Test
    void envsListsWhatTheServerOffers() {
        CliRun run = CliRun.of("envs", "--server", PythonEnvServer.shared().target());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("gymnasium "), run.toString());
        assertTrue(run.out().lines().anyMatch(line -> line.matches("CartPole-v1\\s+500\\s+475\\.0\\s+classic_control\\s+yes")),
                run.toString());
        assertTrue(run.out().lines().anyMatch(line -> line.startsWith("Pendulum-v1 ")), run.toString());
    }

    @Test
    void parityFindsTheJavaAndGymnasiumCartPoleIdentical() {
        CliRun run = CliRun.of("parity", "--server", PythonEnvServer.shared().target(), "--episodes", "3", "--seed", "5");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("episodes 3, steps "), run.toString());
        assertTrue(run.out().contains("max |obs difference| 0.0, flag mismatches 0"), run.toString());
        assertTrue(run.out().strip().endsWith("identical"), run.toString());
    }

    @Test
    void anUnreachableServerIsOneLineSayingWhatToDo() throws IOException {
        String address = "127.0.0.1:" + freePort();
        CliRun run = CliRun.of("envs", "--server", address);
        assertEquals(Gymlink.EXIT_FAILURE, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.toString());
        String line = run.errLines()[0];
        assertTrue(line.startsWith("gymlink: "), line);
        assertTrue(line.contains(address), line);
        assertTrue(line.contains("python -m gymlink_server"), line);
        assertEquals("", run.out());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        CliRun run = CliRun.of("parity", "--verbose", "--server", "127.0.0.1:" + freePort(), "--episodes", "1");
        assertEquals(Gymlink.EXIT_FAILURE, run.exitCode(), run.toString());
        assertTrue(run.errLines().length > 3, run.toString());
        assertTrue(run.err().contains("\tat dev.gymlink."), run.toString());
    }

    @Test
    void badFlagValuesAreUsageErrors() {
        CliRun badAddress = CliRun.of("envs", "--server", "localhost:http");
        assertEquals(Gymlink.EXIT_USAGE, badAddress.exitCode(), badAddress.toString());
        assertEquals(1, badAddress.errLines().length, badAddress.toString());
        assertTrue(badAddress.err().contains("'localhost:http' has port 'http'"), badAddress.toString());
        assertTrue(badAddress.err().contains("gymlink envs --help"), badAddress.toString());

        CliRun badNumber = CliRun.of("parity", "--episodes", "many");
        assertEquals(Gymlink.EXIT_USAGE, badNumber.exitCode(), badNumber.toString());
        assertEquals(1, badNumber.errLines().length, badNumber.toString());
        assertTrue(badNumber.err().contains("many"), badNumber.toString());

        CliRun unknownCommand = CliRun.of("fly");
        assertEquals(Gymlink.EXIT_USAGE, unknownCommand.exitCode());
        assertEquals(1, unknownCommand.errLines().length, unknownCommand.toString());
        assertFalse(unknownCommand.err().contains("\tat "), unknownCommand.toString());
    }

    @Test
    void noCommandAsksForOne() {
        CliRun run = CliRun.of();
        assertEquals(Gymlink.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("choose a command"), run.toString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

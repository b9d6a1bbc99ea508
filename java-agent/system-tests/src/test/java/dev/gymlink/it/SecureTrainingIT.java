package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.cli.Gymlink;
import dev.gymlink.testkit.PythonEnvServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The server image with TLS and a bearer token, as deploy/k8s runs it: {@code gymlink train}
 * trains CartPole-v1 against it with {@code --tls-ca} and {@code --token-file}, and a client
 * without a token, with a wrong token and without TLS are each refused with their own one-line
 * message. The certificates come from {@code python -m gymlink_server.devcerts}, for the name this
 * JVM reaches the container by.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecureTrainingIT {

    @TempDir
    static Path tls;

    private static EnvServerContainer server;

    @BeforeAll
    static void startSecuredServer() {
        // The host part of the address the tests connect to (TESTCONTAINERS_HOST_OVERRIDE=localhost here).
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        PythonEnvServer.devCerts(tls, host);
        server = EnvServerContainer.secured(tls);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result gymlink(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Gymlink.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> train(Path runDir, String... connection) {
        List<String> args = new ArrayList<>(List.of("train", "--env", "CartPole-v1", "--env-backend", "remote",
                "--server", server.target(), "--steps", "3000", "--seed", "1", "--out", runDir.toString()));
        args.addAll(List.of(connection));
        return args;
    }

    @Test
    void trainsCartPoleOverTlsWithAToken(@TempDir Path runs) throws IOException {
        Path run = runs.resolve("secure");
        Result result = gymlink(train(run, "--tls-ca", tls.resolve("ca.crt").toString(),
                "--token-file", tls.resolve("tokens").toString()));
        assertEquals(0, result.code(), result.out() + result.err());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(metrics.size() > 20, "episodes trained: " + metrics.size());
        assertTrue(Files.isDirectory(run.resolve("checkpoints")), result.out());
    }

    @Test
    void noTokenAWrongTokenAndAPlaintextClientAreEachRefusedWithTheirOwnMessage(@TempDir Path runs)
            throws IOException {
        Path wrongToken = Files.writeString(runs.resolve("wrong-token"), "not-a-token-of-this-server\n");
        String ca = tls.resolve("ca.crt").toString();

        Result noToken = gymlink(train(runs.resolve("a"), "--tls-ca", ca));
        Result wrong = gymlink(train(runs.resolve("b"), "--tls-ca", ca, "--token-file", wrongToken.toString()));
        Result plaintext = gymlink(train(runs.resolve("c"), "--token-file", tls.resolve("tokens").toString()));

        assertRefused(noToken, "missing bearer token");
        assertRefused(wrong, "bearer token rejected");
        assertRefused(plaintext, "the server speaks TLS: add --tls or --tls-ca");
    }

    private static void assertRefused(Result result, String message) {
        assertEquals(1, result.code(), result.err());
        String[] lines = result.err().strip().split("\\R");
        assertEquals(1, lines.length, "one line: " + result.err());
        assertTrue(lines[0].startsWith("gymlink: ") && lines[0].contains(message), result.err());
    }
}

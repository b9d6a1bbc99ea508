package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.EnvSecurityException;
import dev.gymlink.env.StepResult;
import dev.gymlink.testkit.PythonEnvServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against real servers with TLS, mutual TLS and tokens: what works, and that every way
 * of getting it wrong ends in its own one-line {@link EnvSecurityException}.
 */
class SecureConnectionTest {

    @TempDir
    static Path certs;
    @TempDir
    static Path otherCerts;

    private static PythonEnvServer tlsWithToken;
    private static PythonEnvServer mutualTls;
    private static PythonEnvServer plaintext;

    @BeforeAll
    static void startServers() {
        PythonEnvServer.devCerts(certs, "127.0.0.1");
        PythonEnvServer.devCerts(otherCerts, "other.invalid");
        tlsWithToken = PythonEnvServer.start("--tls-cert", certs.resolve("server.crt").toString(),
                "--tls-key", certs.resolve("server.key").toString(), "--token-file", certs.resolve("tokens").toString());
        mutualTls = PythonEnvServer.start("--tls-cert", certs.resolve("server.crt").toString(),
                "--tls-key", certs.resolve("server.key").toString(), "--tls-client-ca", certs.resolve("ca.crt").toString());
        plaintext = PythonEnvServer.shared();
    }

    @AfterAll
    static void stopServers() {
        tlsWithToken.close();
        mutualTls.close();
    }

    private static ConnectionSecurity trusted() {
        return ConnectionSecurity.tlsTrusting(certs.resolve("ca.crt"));
    }

    private static double oneStep(String target, ConnectionSecurity security) {
        try (GymClient gym = GymClient.connect(target, security); RemoteEnv env = gym.make("CartPole-v1")) {
            env.reset(3);
            StepResult step = env.step(1);
            return step.reward();
        }
    }

    private static String refusal(String target, ConnectionSecurity security) {
        return assertThrows(EnvSecurityException.class, () -> oneStep(target, security)).getMessage();
    }

    @Test
    void tlsWithTheRightCaAndTokenWorks() throws IOException {
        assertEquals(1.0, oneStep(tlsWithToken.target(), trusted().withTokenFile(certs.resolve("tokens"))));
    }

    @Test
    void theTokenFileMaySkipCommentsAndBlankLines() throws IOException {
        Path file = Files.writeString(certs.resolve("commented"),
                "# rotated 2026-11\n\n" + Files.readString(certs.resolve("tokens")));
        assertEquals(1.0, oneStep(tlsWithToken.target(), trusted().withTokenFile(file)));
    }

    @Test
    void mutualTlsWorksWithAClientCertificate() {
        assertEquals(1.0, oneStep(mutualTls.target(), trusted()
                .withClientCertificate(certs.resolve("client.crt"), certs.resolve("client.key"))));
    }

    @Test
    void eachMistakeHasItsOwnMessage() {
        String target = tlsWithToken.target();
        assertTrue(refusal(target, trusted()).contains("missing bearer token"));
        assertTrue(refusal(target, trusted().withToken("wrong")).contains("bearer token rejected"));
        assertTrue(refusal(target, ConnectionSecurity.PLAINTEXT).contains("the server speaks TLS: add --tls or --tls-ca"));
        assertTrue(refusal(target, ConnectionSecurity.tlsWithSystemTrust()).contains("not signed by a CA this client trusts"));
        assertTrue(refusal("localhost:" + tlsWithToken.port(), trusted()).contains("is not valid for the name localhost"));
        assertTrue(refusal(plaintext.target(), trusted()).contains("speaks plaintext, not TLS"));
        assertTrue(refusal(mutualTls.target(), trusted()).contains("requires a client certificate"));
        String message = refusal(target, ConnectionSecurity.tlsTrusting(otherCerts.resolve("ca.crt")));
        assertTrue(message.contains("not signed by a CA"), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    @Test
    void listingEnvsExplainsTheSameWay() {
        try (GymClient gym = GymClient.connect(tlsWithToken.target(), ConnectionSecurity.PLAINTEXT)) {
            EnvSecurityException error = assertThrows(EnvSecurityException.class, gym::listEnvs);
            assertTrue(error.getMessage().contains("the server speaks TLS"), error.getMessage());
        }
    }
}

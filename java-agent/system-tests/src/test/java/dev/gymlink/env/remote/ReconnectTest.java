package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.VectorResetResult;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.testkit.PythonEnvServer;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Killing the real server (SIGKILL) in the middle of an episode and starting it again on the same
 * port: the env reconnects by itself, the interrupted episode ends truncated with the connection
 * flag, and training goes on.
 */
class ReconnectTest {

    private static final EnvOptions CARTPOLE = EnvOptions.of("CartPole-v1")
            .withReconnect(new ReconnectPolicy(20, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0));

    private PythonEnvServer server;
    private ManagedChannel channel;

    @BeforeEach
    void startOwnServer() {
        server = PythonEnvServer.start();
        channel = server.newChannel();
    }

    @AfterEach
    void stopServer() {
        GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        server.close();
    }

    @Test
    void anEpisodeInterruptedByAServerRestartEndsTruncatedAndTheNextResetWorks() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE)) {
            ResetResult firstReset = env.reset(42);
            StepResult beforeKill = null;
            for (int t = 0; t < 5; t++) {
                beforeKill = env.step((long) (t % 2));
                assertFalse(beforeKill.done());
            }

            server.kill();
            // Restart while the env is already retrying, so that the backoff really runs.
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::restart);
            StepResult interrupted = env.step(0L);
            restarted.get(60, TimeUnit.SECONDS);

            assertTrue(interrupted.truncated(), "the interrupted episode must end truncated");
            assertFalse(interrupted.terminated());
            assertEquals(true, interrupted.info().get(RemoteEnvs.CONNECTION_LOST));
            assertTrue(String.valueOf(interrupted.info().get(RemoteEnvs.CONNECTION_LOST_CAUSE)).contains("UNAVAILABLE"),
                    interrupted.info().toString());
            assertEquals(beforeKill.observation(), interrupted.observation(), "the last known observation");
            assertEquals(0.0, interrupted.reward());

            assertEquals(firstReset.observation(), env.reset(42).observation(), "the next reset works normally");
            StepResult next = env.step(1L);
            assertFalse(next.info().containsKey(RemoteEnvs.CONNECTION_LOST));
        }
    }

    @Test
    void everyCopyOfAVectorEndsTruncatedAndStartsAFreshEpisode() throws Exception {
        int copies = 3;
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, CARTPOLE.withSeed(5), copies)) {
            VectorResetResult firstReset = env.reset();
            VectorStepResult beforeKill = env.step(new Object[] {0L, 1L, 0L});

            server.kill();
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::restart);
            VectorStepResult interrupted = env.step(new Object[] {1L, 1L, 1L});
            restarted.get(60, TimeUnit.SECONDS);

            for (int i = 0; i < copies; i++) {
                assertTrue(interrupted.truncated()[i], "copy " + i);
                assertFalse(interrupted.terminated()[i], "copy " + i);
                assertEquals(true, interrupted.infos().get(i).get(RemoteEnvs.CONNECTION_LOST), "copy " + i);
                assertEquals(true, interrupted.finalInfos().get(i).get(RemoteEnvs.CONNECTION_LOST), "copy " + i);
            }
            assertArrayEquals(beforeKill.observations(), interrupted.finalObservations(), "last known observations");
            // The re-made session is seeded like the first one (Make carries the seed), so its reset
            // observations are the first reset's.
            assertArrayEquals(firstReset.observations(), interrupted.observations(), "fresh reset observations");

            VectorStepResult next = env.step(new Object[] {0L, 0L, 0L});
            assertFalse(next.done(0));
            assertFalse(next.infos().get(0).containsKey(RemoteEnvs.CONNECTION_LOST));
        }
    }

    @Test
    void aServerThatStaysDownFailsAfterTheBoundedAttempts() throws Exception {
        EnvOptions impatient = CARTPOLE.withReconnect(new ReconnectPolicy(3, Duration.ofMillis(50),
                Duration.ofMillis(100), 2.0));
        try (RemoteEnv env = RemoteEnv.connect(channel, impatient)) {
            env.reset(1);
            server.kill();
            EnvUnavailableException error = assertThrows(EnvUnavailableException.class, () -> env.step(0L));
            assertTrue(error.getMessage().contains("CartPole-v1"), error.getMessage());
            assertTrue(error.getMessage().contains("gave up after 3 attempts"), error.getMessage());
            assertTrue(error.getMessage().contains(server.target()), error.getMessage());
        }
    }
}

package dev.gymlink.it;

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
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.ReconnectPolicy;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteEnvs;
import dev.gymlink.env.remote.RemoteVectorEnv;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The env server container goes away in the middle of an episode (docker stop, docker kill,
 * docker pause) and comes back: the remote envs recover as {@code RemoteEnv} specifies. A lost
 * connection ends the interrupted episode as truncated with {@link RemoteEnvs#CONNECTION_LOST} in
 * its info and the session is made again; a server that stops answering fails the request after
 * its deadline, and the next reset starts a new session.
 *
 * <p>Each test gets its own container, published on a fixed host port so that the restarted
 * container is at the address the client keeps dialling.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServerOutageIT {

    /** About 30 s of attempts: a container restart takes 1-2 s. */
    private static final ReconnectPolicy PATIENT = new ReconnectPolicy(20, Duration.ofMillis(100),
            Duration.ofSeconds(2), 2.0);
    private static final EnvOptions CARTPOLE = EnvOptions.of("CartPole-v1").withReconnect(PATIENT);

    @Container
    final EnvServerContainer server = new EnvServerContainer().withFixedHostPort(EnvServerContainer.freeHostPort());

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = server.newChannel();
    }

    @AfterEach
    void disconnect() {
        GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
    }

    @Test
    void anEpisodeCutByADockerStopEndsTruncatedAndTheNextResetWorks() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE)) {
            ResetResult firstReset = env.reset(42);
            StepResult beforeStop = playSteps(env, 5);

            server.stopServer();
            // Started while the env is already retrying, so that the backoff really runs.
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::startServerAgain);
            StepResult interrupted = env.step(0L);
            restarted.get(60, TimeUnit.SECONDS);

            assertTrue(interrupted.truncated(), "the interrupted episode must end truncated: " + interrupted);
            assertFalse(interrupted.terminated());
            assertEquals(true, interrupted.info().get(RemoteEnvs.CONNECTION_LOST), interrupted.info().toString());
            assertTrue(interrupted.info().containsKey(RemoteEnvs.CONNECTION_LOST_CAUSE), interrupted.info().toString());
            assertEquals(beforeStop.observation(), interrupted.observation(), "the last known observation");
            assertEquals(0.0, interrupted.reward());

            assertEquals(firstReset.observation(), env.reset(42).observation(), "the next reset works normally");
            StepResult next = env.step(1L);
            assertFalse(next.info().containsKey(RemoteEnvs.CONNECTION_LOST), next.info().toString());
        }
    }

    @Test
    void everyCopyOfAVectorCutByADockerKillEndsTruncatedAndStartsAFreshEpisode() throws Exception {
        int copies = 4;
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, CARTPOLE.withSeed(7), copies)) {
            VectorResetResult firstReset = env.reset();
            VectorStepResult beforeKill = env.step(new Object[] {0L, 1L, 0L, 1L});

            server.killServer();
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::startServerAgain);
            VectorStepResult interrupted = env.step(new Object[] {1L, 1L, 1L, 1L});
            restarted.get(60, TimeUnit.SECONDS);

            for (int i = 0; i < copies; i++) {
                assertTrue(interrupted.truncated()[i], "copy " + i);
                assertFalse(interrupted.terminated()[i], "copy " + i);
                assertEquals(0.0, interrupted.rewards()[i], "copy " + i);
                assertEquals(true, interrupted.finalInfos().get(i).get(RemoteEnvs.CONNECTION_LOST), "copy " + i);
            }
            assertArrayEquals(beforeKill.observations(), interrupted.finalObservations(), "last known observations");
            // The session is made again with the same seed, so the fresh episodes start where the first ones did.
            assertArrayEquals(firstReset.observations(), interrupted.observations(), "fresh reset observations");

            VectorStepResult next = env.step(new Object[] {0L, 0L, 0L, 0L});
            for (int i = 0; i < copies; i++) {
                assertFalse(next.done(i), "copy " + i);
                assertFalse(next.infos().get(i).containsKey(RemoteEnvs.CONNECTION_LOST), "copy " + i);
            }
        }
    }

    @Test
    void aPausedServerFailsTheStepAfterItsDeadlineAndTheNextResetAfterUnpauseWorks() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE.withRequestDeadline(deadline))) {
            ResetResult firstReset = env.reset(3);
            playSteps(env, 3);

            server.pauseServer();
            try {
                // A frozen server keeps its connections open: only the request deadline notices it.
                EnvUnavailableException error = assertThrows(EnvUnavailableException.class, () -> env.step(1L));
                assertTrue(error.getMessage().contains("no answer to step"), error.getMessage());
                assertTrue(error.getMessage().contains("2 s"), error.getMessage());
            } finally {
                server.unpauseServer();
            }

            assertEquals(firstReset.observation(), env.reset(3).observation(), "a reset after unpausing works");
            StepResult next = env.step(0L);
            assertFalse(next.done());
        }
    }

    private static StepResult playSteps(RemoteEnv env, int steps) throws Exception {
        StepResult last = null;
        for (int t = 0; t < steps; t++) {
            last = env.step((long) (t % 2));
            assertFalse(last.done(), "the episode ended too early for the test at step " + (t + 1));
        }
        return last;
    }
}

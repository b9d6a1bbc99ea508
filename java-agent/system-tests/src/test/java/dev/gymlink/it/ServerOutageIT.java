package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.Env;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.env.cartpole.CartPole;
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
 * docker pause) and comes back: the remote envs recover as {@code RemoteEnv} specifies. After a
 * lost connection the session is made again; a seeded episode is replayed on it and goes on as if
 * nothing happened, one that cannot be rebuilt (unseeded) ends truncated with
 * {@link RemoteEnvs#CONNECTION_LOST} in its info. A server that stops answering fails the request
 * after its deadline, and the next reset starts a new session.
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
    void aSeededEpisodeCutByADockerStopIsReplayedAndContinuesAsIfNothingHappened() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE); CartPole reference = new CartPole()) {
            env.reset(42);
            reference.reset(42);
            playSteps(env, 5);
            playSteps(reference, 5);

            server.stopServer();
            // Started while the env is already retrying, so that the backoff really runs.
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::startServerAgain);
            StepResult healed = env.step(0L);
            restarted.get(60, TimeUnit.SECONDS);

            // The restarted server rebuilt the episode from its seed and actions: the step is the one
            // Gymnasium's CartPole (bit-exact with the Java port) takes without any outage.
            StepResult expected = reference.step(0L);
            assertEquals(expected.observation(), healed.observation());
            assertEquals(expected.reward(), healed.reward());
            assertEquals(expected.done(), healed.done());
            assertFalse(healed.info().containsKey(RemoteEnvs.CONNECTION_LOST), healed.info().toString());
            assertEquals(reference.step(1L).observation(), env.step(1L).observation(), "and the episode goes on");
        }
    }

    @Test
    void anUnseededEpisodeCutByADockerStopEndsTruncatedAndTheNextResetWorks() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE)) {
            env.reset(); // no seed: nothing to rebuild the episode from, so the cut stays a truncation
            StepResult beforeStop = playSteps(env, 5);

            server.stopServer();
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::startServerAgain);
            StepResult interrupted = env.step(0L);
            restarted.get(60, TimeUnit.SECONDS);

            assertTrue(interrupted.truncated(), "the interrupted episode must end truncated: " + interrupted);
            assertFalse(interrupted.terminated());
            assertEquals(true, interrupted.info().get(RemoteEnvs.CONNECTION_LOST), interrupted.info().toString());
            assertTrue(interrupted.info().containsKey(RemoteEnvs.CONNECTION_LOST_CAUSE), interrupted.info().toString());
            assertEquals(beforeStop.observation(), interrupted.observation(), "the last known observation");
            assertEquals(0.0, interrupted.reward());

            ResetResult fresh = env.reset(42);
            try (CartPole reference = new CartPole()) {
                assertEquals(reference.reset(42).observation(), fresh.observation(), "the next reset works normally");
            }
            StepResult next = env.step(1L);
            assertFalse(next.info().containsKey(RemoteEnvs.CONNECTION_LOST), next.info().toString());
        }
    }

    @Test
    void aSeededVectorCutByADockerKillIsReplayedCopyByCopy() throws Exception {
        int copies = 4;
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, CARTPOLE.withSeed(7), copies);
                SyncVectorEnv reference = SyncVectorEnv.create(copies, i -> new CartPole())) {
            env.reset();
            reference.reset(7); // copy i seeded 7 + i, as the server seeds its copies
            Object[] first = {0L, 1L, 0L, 1L};
            env.step(first);
            reference.step(first);

            server.killServer();
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::startServerAgain);
            Object[] cut = {1L, 1L, 1L, 1L};
            VectorStepResult healed = env.step(cut);
            restarted.get(60, TimeUnit.SECONDS);

            VectorStepResult expected = reference.step(cut);
            assertArrayEquals(expected.observations(), healed.observations());
            assertArrayEquals(expected.rewards(), healed.rewards());
            for (int i = 0; i < copies; i++) {
                assertEquals(expected.done(i), healed.done(i), "copy " + i);
                assertFalse(healed.infos().get(i).containsKey(RemoteEnvs.CONNECTION_LOST), "copy " + i);
            }
            Object[] next = {0L, 0L, 0L, 0L};
            assertArrayEquals(reference.step(next).observations(), env.step(next).observations(), "and it goes on");
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

    private static StepResult playSteps(Env env, int steps) throws Exception {
        StepResult last = null;
        for (int t = 0; t < steps; t++) {
            last = env.step((long) (t % 2));
            assertFalse(last.done(), "the episode ended too early for the test at step " + (t + 1));
        }
        return last;
    }
}

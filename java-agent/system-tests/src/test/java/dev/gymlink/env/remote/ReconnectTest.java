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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Killing the real server (SIGKILL) in the middle of an episode and starting it again on the same
 * port: the env reconnects by itself. An episode that began with a seeded reset is replayed exactly
 * and the caller notices nothing; one that began unseeded ends truncated with the connection flag,
 * and training goes on.
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
    void anUnseededEpisodeInterruptedByAServerRestartEndsTruncatedAndTheNextResetWorks() throws Exception {
        List<ConnectionListener.Event> events = new CopyOnWriteArrayList<>();
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE.withConnectionListener(events::add))) {
            env.reset();
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

            assertEquals(env.reset(42).observation(), env.reset(42).observation(), "the next resets work normally");
            StepResult next = env.step(1L);
            assertFalse(next.info().containsKey(RemoteEnvs.CONNECTION_LOST));
        }
        assertEquals(List.of(ConnectionListener.Kind.LOST, ConnectionListener.Kind.RECONNECTED,
                ConnectionListener.Kind.TRUNCATED), events.stream().map(ConnectionListener.Event::kind).toList());
        assertTrue(events.get(2).detail().contains("unseeded reset"), events.get(2).detail());
    }

    @Test
    void aSeededEpisodeIsReplayedExactlyAndContinuesAsIfNothingHappened() throws Exception {
        long[] actions = {0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1};
        List<Object> reference = new ArrayList<>();
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE)) {
            env.reset(42);
            for (long action : actions) {
                reference.add(env.step(action));
            }
        }
        List<ConnectionListener.Event> events = new CopyOnWriteArrayList<>();
        try (RemoteEnv env = RemoteEnv.connect(channel, CARTPOLE.withConnectionListener(events::add))) {
            env.reset(42);
            for (int t = 0; t < actions.length; t++) {
                if (t == 7) {
                    server.kill();
                    CompletableFuture<Void> restarted = CompletableFuture.runAsync(server::restart);
                    assertEquals(reference.get(t), env.step(actions[t]), "the interrupted step");
                    restarted.get(60, TimeUnit.SECONDS);
                } else {
                    assertEquals(reference.get(t), env.step(actions[t]), "step " + t);
                }
            }
        }
        assertEquals(List.of(ConnectionListener.Kind.LOST, ConnectionListener.Kind.RECONNECTED,
                ConnectionListener.Kind.REPLAYED), events.stream().map(ConnectionListener.Event::kind).toList());
        assertTrue(events.get(2).detail().contains("replayed 7 steps"), events.get(2).detail());
    }

    @Test
    void aVectorWithSeededAutoresetsIsReplayedExactlyAcrossEpisodes() throws Exception {
        int copies = 4;
        int steps = 120;
        Random random = new Random(3);
        Object[][] actions = new Object[steps][copies];
        for (Object[] row : actions) {
            for (int i = 0; i < copies; i++) {
                row[i] = random.nextFloat() < 0.7 ? 1L : 0L;
            }
        }
        List<VectorStepResult> reference = new ArrayList<>();
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, CARTPOLE, copies)) {
            env.reset(9);
            for (int t = 0; t < steps; t++) {
                reference.add(env.step(actions[t], 1000 + t));
            }
        }
        List<ConnectionListener.Event> events = new CopyOnWriteArrayList<>();
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, CARTPOLE.withConnectionListener(events::add),
                copies)) {
            env.reset(9);
            for (int t = 0; t < steps; t++) {
                CompletableFuture<Void> restarted = null;
                if (t == 77) {
                    server.kill();
                    restarted = CompletableFuture.runAsync(server::restart);
                }
                VectorStepResult step = env.step(actions[t], 1000 + t);
                VectorStepResult expected = reference.get(t);
                assertArrayEquals(expected.observations(), step.observations(), "step " + t + " " + events);
                assertArrayEquals(expected.finalObservations(), step.finalObservations(), "step " + t);
                assertArrayEquals(expected.rewards(), step.rewards(), "step " + t);
                assertArrayEquals(expected.terminated(), step.terminated(), "step " + t);
                assertArrayEquals(expected.truncated(), step.truncated(), "step " + t);
                if (restarted != null) {
                    restarted.get(60, TimeUnit.SECONDS);
                }
            }
        }
        long episodesEnded = reference.stream().mapToLong(r -> {
            int ended = 0;
            for (int i = 0; i < copies; i++) {
                ended += r.done(i) ? 1 : 0;
            }
            return ended;
        }).sum();
        assertTrue(episodesEnded >= copies, "episodes must have ended before the kill: " + episodesEnded);
        assertEquals(ConnectionListener.Kind.REPLAYED, events.get(events.size() - 1).kind(), events.toString());
    }

    @Test
    void everyCopyOfAnUnseededVectorEndsTruncatedAndStartsAFreshEpisode() throws Exception {
        int copies = 3;
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, CARTPOLE.withSeed(5), copies)) {
            // Reset options (CartPole's default bounds, so the same episodes) make the episodes unreplayable.
            VectorResetResult firstReset = env.reset(OptionalLong.empty(), Map.of("low", -0.05, "high", 0.05));
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

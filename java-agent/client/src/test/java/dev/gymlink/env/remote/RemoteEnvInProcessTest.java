package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvLimitException;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.VectorStepResult;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client's handling of deadlines, broken streams and refusals, against a scripted in-process server. */
class RemoteEnvInProcessTest {

    private static final EnvOptions COUNTER = EnvOptions.of(FakeEnvService.ENV_ID)
            .withReconnect(new ReconnectPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40), 2.0));

    private final FakeEnvService service = new FakeEnvService();
    private String serverName;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        serverName = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(serverName).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(serverName).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void aLateAnswerFailsWithAMessageNamingTheEnvTheRequestAndTheDeadline() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, COUNTER.withRequestDeadline(Duration.ofMillis(200)))) {
            env.reset(0);
            service.stepDelay = Duration.ofSeconds(2);
            EnvUnavailableException error = assertThrows(EnvUnavailableException.class, () -> env.step(0L));
            assertTrue(error.getMessage().startsWith("Counter-v0: no answer to step from "), error.getMessage());
            assertTrue(error.getMessage().contains("within the request deadline of 200 ms"), error.getMessage());
            assertTrue(error.getMessage().contains("EnvOptions.requestDeadline"), error.getMessage());

            service.stepDelay = Duration.ZERO;
            assertEquals(Tensor.float32(5), env.reset(5).observation(), "the next reset starts a new session");
            assertEquals(2, service.makes.size());
        }
    }

    @Test
    void anErrorAnswerThrowsTheServerMessageAndKeepsTheSession() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, COUNTER)) {
            env.reset(0);
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> env.step(3L));
            assertTrue(error.getMessage().startsWith("action 3 is not in Discrete(2) (Counter-v0 step on "),
                    error.getMessage());
            assertEquals(Tensor.float32(2), env.step(1L).observation());
            assertEquals(1, service.makes.size(), "no new session was needed");
        }
    }

    @ParameterizedTest
    @EnumSource(FakeEnvService.Break.class)
    void aBrokenStreamEndsAnUnreplayableEpisodeTruncatedAndReMakesTheSameSession(FakeEnvService.Break how)
            throws Exception {
        EnvOptions options = COUNTER.withSeed(9).withKwargs(Map.of("speed", 2L)).withMaxEpisodeSteps(50);
        try (RemoteEnv env = RemoteEnv.connect(channel, options)) {
            // Reset options make the episode unreplayable.
            env.reset(OptionalLong.of(10), Map.of("note", "x"));
            StepResult before = env.step(1L);
            service.breakNextStep = how;

            StepResult interrupted = env.step(0L);

            assertTrue(interrupted.truncated());
            assertFalse(interrupted.terminated());
            assertEquals(true, interrupted.info().get(RemoteEnvs.CONNECTION_LOST));
            assertEquals(before.observation(), interrupted.observation());
            assertEquals(2, service.makes.size());
            assertEquals(service.makes.get(0), service.makes.get(1), "the same Make parameters");
            assertThrows(EnvStateException.class, () -> env.step(0L), "the interrupted episode is over");
            assertEquals(Tensor.float32(10), env.reset(10).observation());
            assertFalse(env.step(0L).info().containsKey(RemoteEnvs.CONNECTION_LOST));
        }
    }

    @ParameterizedTest
    @EnumSource(FakeEnvService.Break.class)
    void aBrokenStreamInASeededEpisodeIsHealedByReplay(FakeEnvService.Break how) throws Exception {
        StepResult expected;
        try (RemoteEnv reference = RemoteEnv.connect(channel, COUNTER)) {
            reference.reset(10);
            reference.step(1L);
            reference.step(1L);
            expected = reference.step(0L);
        }
        List<ConnectionListener.Kind> events = new ArrayList<>();
        try (RemoteEnv env = RemoteEnv.connect(channel, COUNTER.withConnectionListener(e -> events.add(e.kind())))) {
            env.reset(10);
            env.step(1L);
            env.step(1L);
            service.breakNextStep = how;
            assertEquals(expected, env.step(0L), "the interrupted step, as if nothing had happened");
        }
        assertEquals(List.of(ConnectionListener.Kind.LOST, ConnectionListener.Kind.RECONNECTED,
                ConnectionListener.Kind.REPLAYED), events);
    }

    @Test
    void aResetInterruptedByABrokenStreamIsSentAgain() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, COUNTER)) {
            env.reset(0);
            server.shutdownNow().awaitTermination();
            server = InProcessServerBuilder.forName(serverName).addService(service).build().start();
            assertEquals(Tensor.float32(4), env.reset(4).observation());
            assertEquals(2, service.makes.size());
        }
    }

    @Test
    void aRenderShowsTheEnvAndALostOrLateRenderEndsTheEpisodesOfBothKindsOfEnv() throws Exception {
        EnvOptions options = COUNTER.withRequestDeadline(Duration.ofMillis(200));
        try (RemoteEnv env = RemoteEnv.connect(channel, options);
                RemoteVectorEnv vector = RemoteVectorEnv.connect(channel, options, 2)) {
            env.reset(7);
            int counter = (int) ((Tensor) env.step(1L).observation()).get(0);
            assertEquals(counter << 16, env.render().rgbAt(0, 0), "the frame's red is the counter");
            service.breakNextStep = FakeEnvService.Break.UNAVAILABLE;
            EnvStateException lost = assertThrows(EnvStateException.class, env::render);
            assertTrue(lost.getMessage().endsWith("the connection was lost and the session re-made; reset before"
                    + " rendering"), lost.getMessage());
            assertThrows(EnvStateException.class, () -> env.step(0L), "the episode ended with the lost render");

            vector.reset(3);
            service.breakNextStep = FakeEnvService.Break.CANCELLED;
            assertThrows(EnvStateException.class, () -> vector.render(1));
            EnvStateException noEpisodes = assertThrows(EnvStateException.class,
                    () -> vector.step(new Object[] {0L, 0L}));
            assertTrue(noEpisodes.getMessage().contains("reset first"), noEpisodes.getMessage());

            // A render that times out abandons the session: the same for both.
            env.reset(4);
            vector.reset(4);
            service.stepDelay = Duration.ofSeconds(2);
            assertThrows(EnvUnavailableException.class, env::render);
            assertThrows(EnvUnavailableException.class, () -> vector.render(0));
            service.stepDelay = Duration.ZERO;
            assertThrows(EnvStateException.class, () -> env.step(0L));
            assertThrows(EnvStateException.class, () -> vector.step(new Object[] {0L, 0L}));
            assertEquals(Tensor.float32(9), env.reset(9).observation(), "a reset starts afresh");
            assertEquals(9 << 16, env.render().rgbAt(0, 0));
        }
    }

    @Test
    void vectorCopiesEndTruncatedAtTheirLastObservationsAndStartAfresh() throws Exception {
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, COUNTER.withSeed(20), 2)) {
            env.reset(20);
            VectorStepResult before = env.step(new Object[] {1L, 0L});
            assertArrayEquals(new Object[] {Tensor.float32(22), Tensor.float32(22)}, before.observations());
            service.breakNextStep = FakeEnvService.Break.UNAVAILABLE;

            VectorStepResult interrupted = env.step(new Object[] {0L, 0L});

            assertArrayEquals(new boolean[] {true, true}, interrupted.truncated());
            assertArrayEquals(before.observations(), interrupted.finalObservations());
            // Make carried seed 20: the re-made session's first reset is seeded with it.
            assertArrayEquals(new Object[] {Tensor.float32(20), Tensor.float32(21)}, interrupted.observations());
            assertEquals(true, interrupted.infos().get(1).get(RemoteEnvs.CONNECTION_LOST));
        }
    }

    @Test
    void sameStepAutoresetDeliversFinalObservations() throws Exception {
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, COUNTER, 2)) {
            env.reset(0);
            env.step(new Object[] {0L, 0L});
            env.step(new Object[] {0L, 0L});
            VectorStepResult third = env.step(new Object[] {1L, 0L});
            assertTrue(third.terminated()[0] && third.terminated()[1]);
            assertArrayEquals(new Object[] {Tensor.float32(4), Tensor.float32(4)}, third.finalObservations());
            assertArrayEquals(new Object[] {Tensor.float32(0), Tensor.float32(0)}, third.observations());
        }
    }

    @Test
    void nextStepAutoresetResetsACopyInTheStepAfterItEndedIgnoringItsAction() throws Exception {
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, COUNTER, 2, AutoresetMode.NEXT_STEP)) {
            assertEquals(AutoresetMode.NEXT_STEP, env.autoresetMode());
            assertEquals(dev.gymlink.proto.v1.AutoresetMode.AUTORESET_MODE_NEXT_STEP,
                    service.makes.get(0).getAutoresetMode());
            env.reset(0);
            env.step(new int[] {0, 0});
            env.step(new int[] {0, 0});
            VectorStepResult third = env.step(new int[] {1, 0});
            assertEquals(AutoresetMode.NEXT_STEP, third.autoresetMode());
            assertTrue(third.terminated()[0] && third.terminated()[1]);
            assertArrayEquals(new Object[] {null, null}, third.finalObservations());
            assertArrayEquals(new float[] {4f}, third.floatObservation(0), "the last observation itself");

            VectorStepResult fourth = env.step(new int[] {1, 1});
            assertArrayEquals(new Object[] {Tensor.float32(0), Tensor.float32(0)}, fourth.observations());
            assertArrayEquals(new double[] {0, 0}, fourth.rewards());
            assertFalse(fourth.done(0) || fourth.done(1));
            assertArrayEquals(new float[] {2f}, env.step(new int[] {1, 0}).floatObservation(0), "stepping again");
        }
    }

    @Test
    void aServerThatMakesAnotherAutoresetModeIsRefused() {
        service.madeAutoresetMode = dev.gymlink.proto.v1.AutoresetMode.AUTORESET_MODE_SAME_STEP;
        EnvInternalException error = assertThrows(EnvInternalException.class,
                () -> RemoteVectorEnv.connect(channel, COUNTER, 2, AutoresetMode.NEXT_STEP));
        assertTrue(error.getMessage().contains("with NEXT_STEP autoreset"), error.getMessage());
        assertTrue(error.getMessage().contains("AUTORESET_MODE_SAME_STEP"), error.getMessage());
    }

    @Test
    void nextStepCopiesEndTruncatedAtTheirLastObservationsThenResetInTheFollowingStep() throws Exception {
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(channel, COUNTER.withSeed(20), 2, AutoresetMode.NEXT_STEP)) {
            env.reset(20);
            VectorStepResult before = env.step(new Object[] {1L, 0L});
            service.breakNextStep = FakeEnvService.Break.UNAVAILABLE;

            VectorStepResult interrupted = env.step(new Object[] {0L, 0L});
            assertArrayEquals(new boolean[] {true, true}, interrupted.truncated());
            assertArrayEquals(before.observations(), interrupted.observations());
            assertArrayEquals(new Object[] {null, null}, interrupted.finalObservations());
            assertEquals(true, interrupted.infos().get(0).get(RemoteEnvs.CONNECTION_LOST));

            VectorStepResult autoreset = env.step(new Object[] {1L, 1L});
            // Make carried seed 20: the re-made session's first reset is seeded with it.
            assertArrayEquals(new Object[] {Tensor.float32(20), Tensor.float32(21)}, autoreset.observations());
            assertArrayEquals(new double[] {0, 0}, autoreset.rewards());
            assertFalse(autoreset.done(0) || autoreset.done(1));
            assertArrayEquals(new Object[] {Tensor.float32(22), Tensor.float32(22)},
                    env.step(new Object[] {1L, 0L}).observations(), "the re-made copies step on from there");
        }
    }

    @Test
    void aReMadeEnvWithOtherSpacesIsAnInternalError() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, COUNTER)) {
            env.reset(0);
            service.observationSpace = Box.uniform(0, 1, new int[] {2}, DType.FLOAT32);
            service.breakNextStep = FakeEnvService.Break.UNAVAILABLE;
            EnvInternalException error = assertThrows(EnvInternalException.class, () -> env.step(0L));
            assertTrue(error.getMessage().contains("different spaces"), error.getMessage());
        }
    }

    @Test
    void reconnectingCanBeTurnedOff() throws Exception {
        try (RemoteEnv env = RemoteEnv.connect(channel, COUNTER.withReconnect(ReconnectPolicy.DISABLED))) {
            env.reset(0);
            service.breakNextStep = FakeEnvService.Break.UNAVAILABLE;
            EnvUnavailableException error = assertThrows(EnvUnavailableException.class, () -> env.step(0L));
            assertTrue(error.getMessage().contains("reconnecting is disabled"), error.getMessage());
            assertTrue(error.getMessage().contains("fake connection loss"), error.getMessage());
        }
    }

    @Test
    void aRefusedMakeIsTheExceptionOfItsStatus() {
        service.refuseMakes = Status.RESOURCE_EXHAUSTED.withDescription("server full: 32 of 32 sessions");
        EnvLimitException error = assertThrows(EnvLimitException.class, () -> RemoteEnv.connect(channel, COUNTER));
        assertTrue(error.getMessage().startsWith("server full: 32 of 32 sessions (Counter-v0 make on "),
                error.getMessage());
    }

    @Test
    void aServerThatIsNotThereFailsAtOnce() {
        ManagedChannel nowhere = InProcessChannelBuilder.forName("no-such-server").build();
        try {
            long started = System.nanoTime();
            EnvUnavailableException error = assertThrows(EnvUnavailableException.class,
                    () -> RemoteEnv.connect(nowhere, COUNTER));
            assertTrue(error.getMessage().contains("unreachable"), error.getMessage());
            assertEquals(0, service.makes.size());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "no retrying on connect");
        } finally {
            nowhere.shutdownNow();
        }
    }

    @Test
    void closingEndsTheSessionAndLaterCallsAreStateErrors() throws Exception {
        RemoteEnv env = RemoteEnv.connect(channel, COUNTER);
        env.reset(0);
        env.close();
        env.close();
        EnvStateException error = assertThrows(EnvStateException.class, () -> env.step(0L));
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }
}

package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.VectorEnv;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a {@link GymClient} owns: its channel and the envs it made, against a scripted in-process server. */
class GymClientTest {

    private final FakeEnvService service = new FakeEnvService();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void envsClosedInTryWithResourcesLeaveOnlyTheChannelToClose() throws Exception {
        try (GymClient gym = GymClient.over(channel); Env env = gym.make(FakeEnvService.ENV_ID)) {
            assertArrayEquals(new float[] {3f}, env.reset(3).floatObservation());
            assertArrayEquals(new float[] {5f}, env.step(1).floatObservation(), "int action 1 raises by 2");
        }
        assertTrue(channel.isShutdown(), "closing the client shuts its channel down");
    }

    @Test
    void closingTheClientClosesTheEnvsItMadeThatAreStillOpen() throws Exception {
        GymClient gym = GymClient.over(channel);
        Env env = gym.make(EnvOptions.of(FakeEnvService.ENV_ID));
        VectorEnv vector = gym.makeVector(EnvOptions.of(FakeEnvService.ENV_ID), 2, AutoresetMode.NEXT_STEP);
        assertEquals(AutoresetMode.NEXT_STEP, vector.autoresetMode());
        env.reset(0);
        vector.reset(0);

        gym.close();

        assertThrows(EnvStateException.class, () -> env.step(0));
        assertThrows(EnvStateException.class, () -> vector.step(new int[] {0, 0}));
        assertTrue(channel.isShutdown());
        gym.close();
    }

    @Test
    void aClosedClientMakesNothing() {
        GymClient gym = GymClient.over(channel);
        gym.close();
        EnvStateException error = assertThrows(EnvStateException.class, () -> gym.make(FakeEnvService.ENV_ID));
        assertTrue(error.getMessage().contains("is closed"), error.getMessage());
        assertThrows(EnvStateException.class, () -> gym.makeVector(FakeEnvService.ENV_ID, 2));
        assertFalse(gym.isServing());
        assertEquals(0, service.makes.size());
    }

    @Test
    void envsClosedByTheCallerAreForgotten() throws Exception {
        try (GymClient gym = GymClient.over(channel)) {
            for (int k = 0; k < 3; k++) {
                try (Env env = gym.make(FakeEnvService.ENV_ID)) {
                    env.reset(k);
                }
            }
            try (VectorEnv vector = gym.makeVector(FakeEnvService.ENV_ID, 2)) {
                assertEquals(AutoresetMode.SAME_STEP, vector.autoresetMode());
            }
            assertEquals(4, service.makes.size());
        }
    }
}

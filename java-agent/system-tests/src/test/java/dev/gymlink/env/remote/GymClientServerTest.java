package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.testkit.PythonEnvServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link GymClient} against the real Python server: catalog, health, both vector modes, closing. */
class GymClientServerTest {

    @Test
    void listsEnvsReportsHealthAndMakesEnvsOfEitherAutoresetMode() throws Exception {
        try (GymClient gym = GymClient.connect(PythonEnvServer.shared().target())) {
            gym.awaitServing(Duration.ofSeconds(10));
            assertTrue(gym.isServing());
            assertTrue(gym.listEnvs().find("CartPole-v1").isPresent());
            try (VectorEnv vector = gym.makeVector(EnvOptions.of("CartPole-v1"), 3, AutoresetMode.NEXT_STEP)) {
                // The server runs this on Gymnasium's native CartPoleVectorEnv and confirms the mode in Made.
                assertEquals(AutoresetMode.NEXT_STEP, vector.autoresetMode());
                vector.reset(7);
                boolean[] ended = new boolean[3];
                int autoresets = 0;
                for (int t = 0; t < 200; t++) {
                    VectorStepResult step = vector.step(new int[] {1, 1, 1}); // always right: short episodes
                    for (int i = 0; i < 3; i++) {
                        if (ended[i]) {
                            autoresets++;
                            assertEquals(0.0, step.rewards()[i], "the reset step's reward");
                            assertFalse(step.done(i));
                        }
                        assertEquals(null, step.finalObservations()[i]);
                        ended[i] = step.done(i);
                    }
                }
                assertTrue(autoresets > 5, "episodes of always pushing right last ~10 steps: " + autoresets);
            }
        }
    }

    @Test
    void closingTheClientClosesItsOpenEnvsOnTheServer() throws Exception {
        GymClient gym = GymClient.connect(PythonEnvServer.shared().target());
        Env env = gym.make("CartPole-v1");
        env.reset(1);
        gym.close();
        assertThrows(EnvStateException.class, () -> env.step(0));
        assertThrows(EnvStateException.class, gym::listEnvs);
    }

    @Test
    void aClientOfNoServerFailsAtItsFirstCall() {
        try (GymClient gym = GymClient.connect("127.0.0.1:1")) {
            assertFalse(gym.isServing());
            assertThrows(EnvUnavailableException.class, () -> gym.make("CartPole-v1"));
        }
    }
}

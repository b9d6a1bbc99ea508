package dev.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.Env;
import dev.gymlink.env.StepResult;
import dev.gymlink.testkit.EnvContract;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The Env contract against Gymnasium's CartPole-v1 in the env server container, over its mapped port;
 * and a MuJoCo env in the same container.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RemoteEnvContractIT extends EnvContract {

    @Container
    static final EnvServerContainer SERVER = new EnvServerContainer();

    @Override
    protected Env createEnv() throws Exception {
        return RemoteEnv.connect(SERVER.channel(), EnvOptions.of("CartPole-v1"));
    }

    @Override
    protected String expectedEnvId() {
        return "CartPole-v1";
    }

    /** The image installs the server's mujoco extra: a MuJoCo env steps headless, with Box actions. */
    @Test
    void theImageStepsMuJoCoEnvs() throws Exception {
        try (Env cheetah = RemoteEnv.connect(SERVER.channel(), EnvOptions.of("HalfCheetah-v5"))) {
            assertEquals("Box(-inf, inf, (17,), float64)", cheetah.observationSpace().toString());
            assertEquals("Box(-1.0, 1.0, (6,), float32)", cheetah.actionSpace().toString());
            assertEquals(17, cheetah.reset(1).floatObservation().length);
            StepResult step = cheetah.step(cheetah.actionSpace().sample(new SplittableRandom(1)));
            assertEquals(17, step.floatObservation().length);
            assertTrue(Double.isFinite(step.reward()) && step.reward() != 0, "reward " + step.reward());
        }
    }
}

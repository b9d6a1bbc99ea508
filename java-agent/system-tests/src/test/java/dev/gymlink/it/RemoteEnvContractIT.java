package dev.gymlink.it;

import dev.gymlink.env.Env;
import dev.gymlink.testkit.EnvContract;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The Env contract against Gymnasium's CartPole-v1 in the env server container, over its mapped port. */
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
}

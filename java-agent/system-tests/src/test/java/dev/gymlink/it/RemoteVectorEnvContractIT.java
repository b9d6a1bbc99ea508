package dev.gymlink.it;

import dev.gymlink.env.Env;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.testkit.VectorEnvContract;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The VectorEnv contract against a vector session of CartPole-v1 in the env server container, each
 * copy checked against a plain session on the same container.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RemoteVectorEnvContractIT extends VectorEnvContract {

    @Container
    static final EnvServerContainer SERVER = new EnvServerContainer();

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return RemoteVectorEnv.connect(SERVER.channel(), EnvOptions.of("CartPole-v1"), numEnvs);
    }

    @Override
    protected Env createSingleEnv() throws Exception {
        return RemoteEnv.connect(SERVER.channel(), EnvOptions.of("CartPole-v1"));
    }
}

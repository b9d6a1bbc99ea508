package dev.gymlink.it;

import dev.gymlink.env.Env;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorEnvContractTest;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.GymlinkChannels;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
class RemoteVectorEnvContractIT extends VectorEnvContractTest {

    @Container
    static final EnvServerContainer SERVER = new EnvServerContainer();

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = SERVER.newChannel();
    }

    @AfterAll
    static void disconnect() {
        if (channel != null) {
            GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        }
    }

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return RemoteVectorEnv.connect(channel, EnvOptions.of("CartPole-v1"), numEnvs);
    }

    @Override
    protected Env createSingleEnv() throws Exception {
        return RemoteEnv.connect(channel, EnvOptions.of("CartPole-v1"));
    }
}

package dev.gymlink.env.remote;

import dev.gymlink.env.Env;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.testkit.VectorEnvContract;
import dev.gymlink.testkit.PythonEnvServer;
import io.grpc.ManagedChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The VectorEnv contract against a vector session of Gymnasium's CartPole-v1 on the real Python
 * server, each copy checked against a plain remote CartPole-v1 session.
 */
class RemoteVectorEnvContractTest extends VectorEnvContract {

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = PythonEnvServer.shared().newChannel();
    }

    @AfterAll
    static void disconnect() {
        GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
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

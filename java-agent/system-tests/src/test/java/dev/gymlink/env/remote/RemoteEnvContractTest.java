package dev.gymlink.env.remote;

import dev.gymlink.env.Env;
import dev.gymlink.testkit.EnvContract;
import dev.gymlink.testkit.PythonEnvServer;
import io.grpc.ManagedChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Env contract against Gymnasium's CartPole-v1 served by the real Python env server. */
class RemoteEnvContractTest extends EnvContract {

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
    protected Env createEnv() throws Exception {
        return RemoteEnv.connect(channel, EnvOptions.of("CartPole-v1"));
    }

    @Override
    protected String expectedEnvId() {
        return "CartPole-v1";
    }
}

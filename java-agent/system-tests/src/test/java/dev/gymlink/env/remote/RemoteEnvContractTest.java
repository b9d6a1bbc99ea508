package dev.gymlink.env.remote;

import dev.gymlink.env.Env;
import dev.gymlink.testkit.EnvContract;
import dev.gymlink.testkit.SharedServerChannel;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Env contract against Gymnasium's CartPole-v1 served by the real Python env server. */
class RemoteEnvContractTest extends EnvContract {

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Override
    protected Env createEnv() throws Exception {
        return RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"));
    }

    @Override
    protected String expectedEnvId() {
        return "CartPole-v1";
    }
}

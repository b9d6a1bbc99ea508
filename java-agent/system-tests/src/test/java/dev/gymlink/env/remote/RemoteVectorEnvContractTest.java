package dev.gymlink.env.remote;

import dev.gymlink.env.Env;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.testkit.SharedServerChannel;
import dev.gymlink.testkit.VectorEnvContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The VectorEnv contract against a vector session of Gymnasium's CartPole-v1 on the real Python
 * server, each copy checked against a plain remote CartPole-v1 session.
 */
class RemoteVectorEnvContractTest extends VectorEnvContract {

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return RemoteVectorEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"), numEnvs);
    }

    @Override
    protected Env createSingleEnv() throws Exception {
        return RemoteEnv.connect(server.channel(), EnvOptions.of("CartPole-v1"));
    }
}

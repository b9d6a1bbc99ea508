package dev.gymlink.env.remote;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Env;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.testkit.SharedServerChannel;
import dev.gymlink.testkit.VectorEnvContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The VectorEnv contract against a next-step vector session on the real Python server, each copy
 * checked against a plain remote session. MountainCar, not CartPole: with next-step autoreset the
 * server runs CartPole on Gymnasium's native vector env, whose copies share one random generator
 * and so cannot be replayed by single envs seeded {@code seed + i}; MountainCar runs on
 * {@code SyncVectorEnv}, its random-action episodes end at the 200-step limit, and it has no infos
 * (a vector env packs info values into one numpy array per key, so FrozenLake's integer
 * {@code prob} of a reset comes back as a float next to other copies' float ones).
 */
class RemoteVectorEnvNextStepContractTest extends VectorEnvContract {

    private static final String ENV_ID = "MountainCar-v0";

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return RemoteVectorEnv.connect(server.channel(), EnvOptions.of(ENV_ID), numEnvs, AutoresetMode.NEXT_STEP);
    }

    @Override
    protected Env createSingleEnv() throws Exception {
        return RemoteEnv.connect(server.channel(), EnvOptions.of(ENV_ID));
    }
}

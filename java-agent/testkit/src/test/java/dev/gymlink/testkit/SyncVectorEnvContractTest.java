package dev.gymlink.testkit;

import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.env.Env;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.testkit.VectorEnvContract;

/** {@link SyncVectorEnv} over Java CartPoles. */
class SyncVectorEnvContractTest extends VectorEnvContract {

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return SyncVectorEnv.create(numEnvs, i -> new CartPole());
    }

    @Override
    protected Env createSingleEnv() {
        return new CartPole();
    }
}

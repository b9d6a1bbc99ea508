package dev.gymlink.env.cartpole;

import dev.gymlink.env.Env;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorEnvContractTest;

/** {@link SyncVectorEnv} over Java CartPoles. */
class SyncVectorEnvContractTest extends VectorEnvContractTest {

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return SyncVectorEnv.create(numEnvs, i -> new CartPole());
    }

    @Override
    protected Env createSingleEnv() {
        return new CartPole();
    }
}

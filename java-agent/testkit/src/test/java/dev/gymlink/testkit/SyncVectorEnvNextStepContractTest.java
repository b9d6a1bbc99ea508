package dev.gymlink.testkit;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.Env;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.cartpole.CartPole;

/** {@link SyncVectorEnv} over Java CartPoles with next-step autoreset. */
class SyncVectorEnvNextStepContractTest extends VectorEnvContract {

    @Override
    protected VectorEnv createVectorEnv(int numEnvs) throws Exception {
        return SyncVectorEnv.create(numEnvs, AutoresetMode.NEXT_STEP, i -> new CartPole());
    }

    @Override
    protected Env createSingleEnv() {
        return new CartPole();
    }
}

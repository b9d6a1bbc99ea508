package dev.gymlink.env.cartpole;

import dev.gymlink.env.Env;
import dev.gymlink.env.EnvContractTest;

class CartPoleContractTest extends EnvContractTest {

    @Override
    protected Env createEnv() {
        return new CartPole();
    }

    @Override
    protected String expectedEnvId() {
        return "CartPole-v1";
    }
}

package dev.gymlink.testkit;

import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.env.Env;
import dev.gymlink.testkit.EnvContract;

class CartPoleContractTest extends EnvContract {

    @Override
    protected Env createEnv() {
        return new CartPole();
    }

    @Override
    protected String expectedEnvId() {
        return "CartPole-v1";
    }
}

package dev.gymlink.testkit;

import dev.gymlink.env.pendulum.Pendulum;
import dev.gymlink.env.Env;
import dev.gymlink.testkit.EnvContract;

class PendulumContractTest extends EnvContract {

    @Override
    protected Env createEnv() {
        return new Pendulum();
    }

    @Override
    protected String expectedEnvId() {
        return "Pendulum-v1";
    }
}

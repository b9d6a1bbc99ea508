package dev.gymlink.agent.dqn;

class JavaQNetworkTest extends QNetworkContractTest {
    @Override
    protected QNetwork create(NetworkSpec spec, float[] parameters) {
        return new JavaQNetwork(spec, parameters);
    }
}

package dev.gymlink.agent.dqn;

class DenseQNetworkTest extends QNetworkContractTest {
    @Override
    protected QNetwork create(NetworkSpec spec, float[] parameters) {
        return new DenseQNetwork(spec, parameters);
    }
}

package dev.gymlink.agent.dqn.nd4j;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworkProvider;

/** Makes {@link Nd4jQNetwork} the {@code nd4j} backend of gymlink-dqn when this module is on the class path. */
public final class Nd4jQNetworkProvider implements QNetworkProvider {

    @Override
    public DqnConfig.Backend backend() {
        return DqnConfig.Backend.ND4J;
    }

    @Override
    public QNetwork create(NetworkSpec spec, float[] initialParameters) {
        return new Nd4jQNetwork(spec, initialParameters);
    }
}

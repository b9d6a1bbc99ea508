package dev.gymlink.agent.dqn.nd4j;

import dev.gymlink.agent.dqn.DenseQNetwork;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworkProvider;

/**
 * Makes the {@code nd4j} backend of gymlink-dqn, when this module is on the class path: the TD loss of
 * {@link DenseQNetwork} on an {@link Nd4jDenseNetwork} (BLAS gemm for every layer). Each native op costs
 * microseconds of overhead whatever its size, so this wins only when layers and batches are large enough
 * for gemm to dominate; {@code QNetworks.resolve} picks it from the measured crossover.
 */
public final class Nd4jQNetworkProvider implements QNetworkProvider {

    @Override
    public DqnConfig.Backend backend() {
        return DqnConfig.Backend.ND4J;
    }

    @Override
    public QNetwork create(NetworkSpec spec, float[] initialParameters) {
        return new DenseQNetwork(spec,
                new Nd4jDenseNetwork(spec.layerSizes(), DenseQNetwork.optimizer(spec), initialParameters));
    }
}

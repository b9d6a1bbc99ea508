package dev.gymlink.agent.dqn.nd4j;

import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.mlp.TrainableNetwork;
import dev.gymlink.agent.mlp.TrainableNetworkProvider;

/** Makes {@link Nd4jDenseNetwork} the {@code nd4j} backend of gymlink's dense networks when this module is on the class path. */
public final class Nd4jDenseNetworkProvider implements TrainableNetworkProvider {

    @Override
    public NetworkBackend backend() {
        return NetworkBackend.ND4J;
    }

    @Override
    public TrainableNetwork create(int[] sizes, DenseNetwork.Optimizer optimizer, float[] initialParameters) {
        return new Nd4jDenseNetwork(sizes, optimizer, initialParameters);
    }
}

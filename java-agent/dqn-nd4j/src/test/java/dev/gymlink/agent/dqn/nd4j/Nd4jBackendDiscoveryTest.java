package dev.gymlink.agent.dqn.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DenseQNetwork;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.mlp.TrainableNetwork;
import dev.gymlink.agent.run.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With this module on the class path, gymlink-dqn finds the ND4J backends (Q-network and dense network) by itself. */
class Nd4jBackendDiscoveryTest {

    private static NetworkSpec spec(int width) {
        return new NetworkSpec(4, List.of(width, width), 2, DqnConfig.Loss.HUBER, 1e-3, 1e-8, 10);
    }

    @Test
    void autoFollowsTheMeasuredCrossover() {
        assertTrue(NetworkBackend.ND4J.isAvailable());
        int wide = NetworkBackend.ND4J_FROM_HIDDEN_WIDTH;
        int batch = NetworkBackend.ND4J_FROM_BATCH_SIZE;
        assertEquals(NetworkBackend.ND4J, QNetworks.resolve(NetworkBackend.AUTO, spec(wide), batch));
        assertEquals(NetworkBackend.ND4J, QNetworks.resolve(NetworkBackend.AUTO, spec(1024), 512));
        assertEquals(NetworkBackend.JAVA, QNetworks.resolve(NetworkBackend.AUTO, spec(wide - 1), batch), "narrower");
        assertEquals(NetworkBackend.JAVA, QNetworks.resolve(NetworkBackend.AUTO, spec(512), batch - 1), "smaller batch");
        assertEquals(NetworkBackend.JAVA, QNetworks.resolve(NetworkBackend.AUTO, spec(256), 128),
                "MountainCar-v0's preset (256-256, batch 128) stays where its figures were measured");
    }

    @Test
    void createsTheNd4jBackendWithTheGivenWeights() {
        float[] parameters = spec(8).initialParameters(DqnConfig.WeightInit.GLOROT_UNIFORM, new Rng(1));
        try (QNetwork nd4j = QNetworks.create(NetworkBackend.ND4J, spec(8), parameters)) {
            assertTrue(nd4j instanceof DenseQNetwork dense && dense.network() instanceof Nd4jDenseNetwork, nd4j::toString);
            assertArrayEquals(parameters, nd4j.parameters());
        }
    }

    @Test
    void closingTheQNetworkFreesItsNativeArrays() {
        float[] parameters = spec(8).initialParameters(DqnConfig.WeightInit.GLOROT_UNIFORM, new Rng(1));
        DenseQNetwork nd4j = (DenseQNetwork) QNetworks.create(NetworkBackend.ND4J, spec(8), parameters);
        Nd4jDenseNetwork network = (Nd4jDenseNetwork) nd4j.network();
        nd4j.close();
        assertThrows(IllegalStateException.class, network::parameters, "the native arrays are released");
    }

    @Test
    void createsTheNd4jDenseNetworkWithTheGivenParameters() {
        int[] sizes = {4, 8, 3};
        Rng rng = new Rng(2);
        float[] dense = DenseNetwork.initialParameters(sizes, (fanIn, fanOut) -> 1, fanIn -> 1, rng::nextDouble);
        assertTrue(NetworkBackend.ND4J.isAvailable());
        TrainableNetwork nd4j = NetworkBackend.ND4J.create(sizes,
                new DenseNetwork.Optimizer(1e-3, 1e-8, Double.POSITIVE_INFINITY), dense);
        assertTrue(nd4j instanceof Nd4jDenseNetwork);
        assertArrayEquals(dense, nd4j.parameters());
    }
}

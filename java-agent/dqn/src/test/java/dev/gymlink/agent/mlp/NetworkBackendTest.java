package dev.gymlink.agent.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Backend choice without gymlink-dqn-nd4j on the class path (its own tests cover the other case). */
class NetworkBackendTest {

    private static final int[] SIZES = {3, 8, 2};
    private static final DenseNetwork.Optimizer ADAM = new DenseNetwork.Optimizer(1e-3, 1e-8, Double.POSITIVE_INFINITY);

    private static float[] parameters() {
        return DenseNetwork.initialParameters(SIZES, (fanIn, fanOut) -> 1, fanIn -> 1, new SplittableRandom(1)::nextDouble);
    }

    @Test
    void javaIsAlwaysThereAndNd4jOnlyWithItsModule() {
        assertTrue(NetworkBackend.JAVA.isAvailable());
        assertFalse(NetworkBackend.ND4J.isAvailable());
        assertFalse(NetworkBackend.AUTO.isAvailable(), "AUTO is a choice, not a backend");
    }

    @Test
    void createsTheJavaNetworkWithTheGivenParameters() {
        float[] parameters = parameters();
        TrainableNetwork network = NetworkBackend.JAVA.create(SIZES, ADAM, parameters);
        assertTrue(network instanceof DenseNetwork);
        assertArrayEquals(parameters, network.parameters());
    }

    @Test
    void asksForTheNd4jModuleWhenItIsMissingAndRefusesAnUnresolvedAuto() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> NetworkBackend.ND4J.create(SIZES, ADAM, parameters()));
        assertTrue(missing.getMessage().contains("dev.gymlink:gymlink-dqn-nd4j"), missing.getMessage());
        IllegalArgumentException auto = assertThrows(IllegalArgumentException.class,
                () -> NetworkBackend.AUTO.create(SIZES, ADAM, parameters()));
        assertTrue(auto.getMessage().contains("AUTO"), auto.getMessage());
    }
}

package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.run.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backend choice without gymlink-dqn-nd4j on the class path (its own tests cover the other case). */
class QNetworksTest {

    static NetworkSpec spec(int width) {
        return new NetworkSpec(4, List.of(width, width), 2, DqnConfig.Loss.HUBER, 1e-3, 1e-8, 10);
    }

    @Test
    void autoStaysOnJavaWhenNd4jIsAbsent() {
        assertFalse(NetworkBackend.ND4J.isAvailable());
        assertTrue(NetworkBackend.JAVA.isAvailable());
        assertEquals(NetworkBackend.JAVA, QNetworks.resolve(NetworkBackend.AUTO, spec(64), 64));
        assertEquals(NetworkBackend.JAVA, QNetworks.resolve(NetworkBackend.AUTO, spec(1024), 256));
        assertEquals(NetworkBackend.ND4J, QNetworks.resolve(NetworkBackend.ND4J, spec(24), 32));
        assertEquals(NetworkBackend.JAVA, QNetworks.resolve(NetworkBackend.JAVA, spec(2048), 256));
    }

    @Test
    void createsTheJavaBackendWithTheGivenWeights() {
        float[] parameters = spec(8).initialParameters(DqnConfig.WeightInit.GLOROT_UNIFORM, new Rng(1));
        try (QNetwork java = QNetworks.create(NetworkBackend.JAVA, spec(8), parameters)) {
            assertTrue(java instanceof DenseQNetwork);
            assertEquals(List.of(), diff(parameters, java.parameters()));
        }
    }

    @Test
    void asksForTheNd4jModuleWhenItIsMissing() {
        float[] parameters = spec(8).initialParameters(DqnConfig.WeightInit.GLOROT_UNIFORM, new Rng(1));
        IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> QNetworks.create(NetworkBackend.ND4J, spec(8), parameters));
        assertTrue(refusal.getMessage().contains("dev.gymlink:gymlink-dqn-nd4j"), refusal.getMessage());
    }

    private static List<Integer> diff(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        return java.util.stream.IntStream.range(0, expected.length)
                .filter(i -> Float.compare(expected[i], actual[i]) != 0).boxed().toList();
    }
}

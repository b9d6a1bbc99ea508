package dev.gymlink.agent.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class QNetworksTest {

    private static NetworkSpec spec(int width) {
        return new NetworkSpec(4, List.of(width, width), 2, DqnConfig.Loss.HUBER, 1e-3, 1e-8, 10);
    }

    @Test
    void autoFollowsTheMeasuredCrossover() {
        assertEquals(DqnConfig.Backend.JAVA, QNetworks.resolve(DqnConfig.Backend.AUTO, spec(64), 64));
        assertEquals(DqnConfig.Backend.JAVA, QNetworks.resolve(DqnConfig.Backend.AUTO, spec(512), 256));
        assertEquals(DqnConfig.Backend.ND4J, QNetworks.resolve(DqnConfig.Backend.AUTO, spec(1024), 256));
        assertEquals(DqnConfig.Backend.ND4J, QNetworks.resolve(DqnConfig.Backend.ND4J, spec(24), 32));
        assertEquals(DqnConfig.Backend.JAVA, QNetworks.resolve(DqnConfig.Backend.JAVA, spec(2048), 256));
    }

    @Test
    void createsTheRequestedBackendWithTheGivenWeights() {
        float[] parameters = spec(8).initialParameters(DqnConfig.WeightInit.GLOROT_UNIFORM, new Rng(1));
        try (QNetwork java = QNetworks.create(DqnConfig.Backend.JAVA, spec(8), parameters);
                QNetwork nd4j = QNetworks.create(DqnConfig.Backend.ND4J, spec(8), parameters)) {
            assertTrue(java instanceof JavaQNetwork);
            assertTrue(nd4j instanceof Nd4jQNetwork);
            assertEquals(java.parameters().length, nd4j.parameters().length);
        }
    }
}

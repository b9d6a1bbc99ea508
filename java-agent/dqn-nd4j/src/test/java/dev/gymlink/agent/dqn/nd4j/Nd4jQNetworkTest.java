package dev.gymlink.agent.dqn.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.DenseQNetwork;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworkContractTest;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.run.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ND4J backend: the shared contract, and agreement with the plain-Java backend on identical weights. */
class Nd4jQNetworkTest extends QNetworkContractTest {

    @Override
    protected QNetwork create(NetworkSpec spec, float[] parameters) {
        return nd4j(spec, parameters);
    }

    private static QNetwork nd4j(NetworkSpec spec, float[] parameters) {
        return QNetworks.create(NetworkBackend.ND4J, spec, parameters);
    }

    @Test
    void agreesWithTheJavaBackendOnOutputsGradientsAndTrainingSteps() {
        for (DqnConfig.Loss loss : DqnConfig.Loss.values()) {
            NetworkSpec spec = new NetworkSpec(4, List.of(24, 24), 2, loss, 1e-3, 1e-8, 1.0);
            int batch = 32;
            Rng rng = new Rng(99);
            float[] initial = spec.initialParameters(DqnConfig.WeightInit.GLOROT_UNIFORM, rng);
            float[] states = new float[batch * 4];
            int[] actions = new int[batch];
            float[] targets = new float[batch];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < 4; i++) {
                    states[b * 4 + i] = (float) rng.nextGaussian();
                }
                actions[b] = rng.nextInt(2);
                targets[b] = (float) (rng.nextGaussian() * 2);
            }
            try (QNetwork java = new DenseQNetwork(spec, initial); QNetwork nd4j = nd4j(spec, initial)) {
                float[] qJava = new float[batch * 2];
                float[] qNd4j = new float[batch * 2];
                java.predict(states, batch, qJava);
                nd4j.predict(states, batch, qNd4j);
                assertClose(qJava, qNd4j, 1e-5, loss + " Q-values");
                double lossJava = java.computeGradients(states, actions, targets, batch);
                double lossNd4j = nd4j.computeGradients(states, actions, targets, batch);
                assertEquals(lossJava, lossNd4j, 1e-5 * Math.abs(lossJava), loss + " loss");
                assertClose(java.gradients(), nd4j.gradients(), 1e-5, loss + " gradients");
                assertEquals(java.applyGradients(), nd4j.applyGradients(), 1e-4, loss + " gradient norm");
                for (int step = 0; step < 20; step++) {
                    java.train(states, actions, targets, batch);
                    nd4j.train(states, actions, targets, batch);
                }
                assertClose(java.parameters(), nd4j.parameters(), 1e-4, loss + " parameters after 21 steps");
                assertClose(java.optimizerState().secondMoment(), nd4j.optimizerState().secondMoment(), 1e-6,
                        loss + " Adam second moment");
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tolerance * Math.max(1, scale), what + " [" + k + "]");
        }
    }
}

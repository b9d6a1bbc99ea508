package dev.gymlink.agent.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Backward passes against finite differences of a loss that is not linear in the outputs, to the
 * parameters and to the inputs, for networks with and without hidden layers.
 */
class DenseNetworkTest {

    private static final int BATCH = 6;
    private static final DenseNetwork.Optimizer ADAM = new DenseNetwork.Optimizer(0.01, 1e-8, Double.POSITIVE_INFINITY);

    /** {@code L = mean_b sum_j (0.5 * a[b][j] * y^2 + c[b][j] * y)}, y = output[b][j]. */
    private record Loss(float[][] a, float[][] c) {
        static Loss random(int outputs, SplittableRandom rng) {
            float[][] a = new float[BATCH][outputs];
            float[][] c = new float[BATCH][outputs];
            for (int b = 0; b < BATCH; b++) {
                for (int j = 0; j < outputs; j++) {
                    a[b][j] = (float) rng.nextDouble(0.5, 1.5);
                    c[b][j] = (float) rng.nextDouble(-1, 1);
                }
            }
            return new Loss(a, c);
        }

        /** The loss of a forward pass; writes its gradient into the network's output gradients. */
        double evaluate(DenseNetwork network, float[] inputs) {
            float[][] y = network.forward(inputs, BATCH);
            float[][] grad = network.outputGradients();
            double sum = 0;
            for (int b = 0; b < BATCH; b++) {
                for (int j = 0; j < y[b].length; j++) {
                    sum += 0.5 * a[b][j] * y[b][j] * y[b][j] + c[b][j] * y[b][j];
                    grad[b][j] = (a[b][j] * y[b][j] + c[b][j]) / BATCH;
                }
            }
            return sum / BATCH;
        }
    }

    @Test
    void parameterAndInputGradientsMatchFiniteDifferences() {
        for (int[] sizes : new int[][] {{5, 7, 6, 3}, {4, 2}, {3, 9, 1}}) {
            SplittableRandom rng = new SplittableRandom(sizes.length * 31L + sizes[0]);
            float[] parameters = DenseNetwork.initialParameters(sizes, (in, out) -> 1.0 / Math.sqrt(in),
                    in -> 0.5, rng::nextDouble);
            float[] inputs = new float[BATCH * sizes[0]];
            for (int k = 0; k < inputs.length; k++) {
                inputs[k] = (float) rng.nextGaussian();
            }
            Loss loss = Loss.random(sizes[sizes.length - 1], rng);
            DenseNetwork network = new DenseNetwork(sizes, ADAM, parameters);
            loss.evaluate(network, inputs);
            float[] inputGradients = new float[inputs.length];
            network.backward(inputs, BATCH, inputGradients);
            float[] analytic = network.gradients();

            int nonZero = 0;
            for (int p = 0; p < parameters.length; p++) {
                int index = p;
                double numeric = centralDifference(h -> {
                    float[] shifted = parameters.clone();
                    shifted[index] += h;
                    network.setParameters(shifted);
                    return loss.evaluate(network, inputs);
                });
                assertEquals(numeric, analytic[p], 2e-3 + 2e-2 * Math.abs(numeric), "parameter " + p);
                nonZero += analytic[p] != 0 ? 1 : 0;
            }
            assertTrue(nonZero > parameters.length / 2, "most gradients should be non-zero, got " + nonZero);
            network.setParameters(parameters);
            for (int k = 0; k < inputs.length; k++) {
                int index = k;
                double numeric = centralDifference(h -> {
                    float[] shifted = inputs.clone();
                    shifted[index] += h;
                    return loss.evaluate(network, shifted);
                });
                assertEquals(numeric, inputGradients[k], 2e-3 + 2e-2 * Math.abs(numeric), "input " + k);
            }
        }
    }

    private interface Shifted {
        double lossAt(float h);
    }

    private static double centralDifference(Shifted shifted) {
        float h = 1e-3f;
        return (shifted.lossAt(h) - shifted.lossAt(-h)) / (2 * h);
    }

    @Test
    void inputGradientsDoNotChangeTheParameterGradients() {
        int[] sizes = {4, 8, 2};
        SplittableRandom rng = new SplittableRandom(5);
        float[] parameters = DenseNetwork.initialParameters(sizes, (in, out) -> 1.0, in -> 0.1, rng::nextDouble);
        float[] inputs = new float[BATCH * 4];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = (float) rng.nextGaussian();
        }
        Loss loss = Loss.random(2, rng);
        DenseNetwork network = new DenseNetwork(sizes, ADAM, parameters);
        loss.evaluate(network, inputs);
        network.backward(inputs, BATCH, null);
        float[] without = network.gradients();
        loss.evaluate(network, inputs);
        network.backward(inputs, BATCH, new float[inputs.length]);
        assertArrayEquals(without, network.gradients());
    }

    @Test
    void targetUpdatesAndAdamStateRoundTrip() {
        int[] sizes = {3, 4, 2};
        SplittableRandom rng = new SplittableRandom(9);
        DenseNetwork online = new DenseNetwork(sizes, ADAM,
                DenseNetwork.initialParameters(sizes, (in, out) -> 1.0, in -> 1.0, rng::nextDouble));
        DenseNetwork target = new DenseNetwork(sizes, ADAM, new float[DenseNetwork.parameterCount(sizes)]);
        target.blendParametersFrom(online, 0.25);
        float[] expected = online.parameters();
        for (int p = 0; p < expected.length; p++) {
            expected[p] = 0.25f * expected[p];
        }
        assertArrayEquals(expected, target.parameters(), 1e-7f);
        target.copyParametersFrom(online);
        assertArrayEquals(online.parameters(), target.parameters());

        float[] inputs = {1, 2, 3};
        online.forward(inputs, 1);
        online.outputGradients()[0][0] = 1;
        online.outputGradients()[0][1] = -1;
        online.backward(inputs, 1, null);
        online.applyGradients();
        target.setAdamState(online.adamStep(), online.firstMoments(), online.secondMoments());
        assertEquals(1, target.adamStep());
        assertArrayEquals(online.secondMoments(), target.secondMoments());
        assertThrows(IllegalArgumentException.class,
                () -> target.copyParametersFrom(new DenseNetwork(new int[] {3, 5, 2}, ADAM, new float[32])));
        assertThrows(IllegalArgumentException.class, () -> new DenseNetwork(new int[] {3}, ADAM, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new DenseNetwork(sizes, ADAM, new float[3]));
    }
}

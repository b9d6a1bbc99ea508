package dev.gymlink.agent.dqn.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.TrainableNetwork;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ND4J dense network against {@link DenseNetwork} on the same parameters: outputs, hidden
 * features, gradients to parameters and inputs, Adam steps (with and without clipping), target
 * blends and copies in both directions, to float tolerance.
 */
class Nd4jDenseNetworkTest {

    private static final DenseNetwork.Optimizer ADAM = new DenseNetwork.Optimizer(3e-3, 1e-8, Double.POSITIVE_INFINITY);
    private static final DenseNetwork.Optimizer CLIPPED_ADAM = new DenseNetwork.Optimizer(3e-3, 1e-8, 0.05);
    /** An epsilon near sqrt(v), where PyTorch's placement of it (after the bias correction) shows. */
    private static final DenseNetwork.Optimizer WIDE_EPSILON_ADAM = new DenseNetwork.Optimizer(3e-3, 3e-3,
            Double.POSITIVE_INFINITY);

    private static float[] initial(int[] sizes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return DenseNetwork.initialParameters(sizes, (fanIn, fanOut) -> 1 / Math.sqrt(fanIn),
                fanIn -> 1 / Math.sqrt(fanIn), rng::nextDouble);
    }

    private static float[] gaussian(SplittableRandom rng, int count) {
        float[] values = new float[count];
        for (int k = 0; k < count; k++) {
            values[k] = (float) rng.nextGaussian();
        }
        return values;
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tolerance * Math.max(1, Math.abs(expected[k])), what + " [" + k + "]");
        }
    }

    private static void assertRowsClose(float[][] expected, float[][] actual, int rows, double tolerance, String what) {
        for (int b = 0; b < rows; b++) {
            assertClose(expected[b], actual[b], tolerance, what + " row " + b);
        }
    }

    /** Writes {@code dL/dy = (y - target) / batch} of a squared error into the output gradients. */
    private static void squaredErrorGradient(TrainableNetwork network, float[][] outputs, float[] targets, int batch) {
        float[][] gradient = network.outputGradients();
        int width = network.outputs();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < width; j++) {
                gradient[b][j] = (outputs[b][j] - targets[b * width + j]) / batch;
            }
        }
    }

    @Test
    void agreesWithTheJavaNetworkOnOutputsFeaturesAndGradientsToParametersAndInputs() {
        int[][] shapes = {{5, 16, 12, 3}, {7, 32, 1}, {4, 2}};
        for (int[] sizes : shapes) {
            int batch = 9;
            SplittableRandom rng = new SplittableRandom(sizes.length);
            float[] parameters = initial(sizes, 11);
            DenseNetwork java = new DenseNetwork(sizes, ADAM, parameters);
            Nd4jDenseNetwork nd4j = new Nd4jDenseNetwork(sizes, ADAM, parameters);
            assertArrayEquals(parameters, nd4j.parameters(), "the flat layout round-trips exactly");
            float[] inputs = gaussian(rng, batch * sizes[0]);
            float[] targets = gaussian(rng, batch * sizes[sizes.length - 1]);
            String shape = Arrays.toString(sizes);
            float[][] javaOut = java.forward(inputs, batch);
            float[][] nd4jOut = nd4j.forward(inputs, batch);
            assertRowsClose(javaOut, nd4jOut, batch, 1e-5, shape + " outputs");
            if (sizes.length > 2) {
                assertRowsClose(java.lastHiddenActivations(), nd4j.lastHiddenActivations(), batch, 1e-5,
                        shape + " hidden features");
            } else {
                assertThrows(IllegalStateException.class, nd4j::lastHiddenActivations);
            }
            squaredErrorGradient(java, javaOut, targets, batch);
            squaredErrorGradient(nd4j, nd4jOut, targets, batch);
            float[] javaInputGradients = new float[inputs.length];
            float[] nd4jInputGradients = new float[inputs.length];
            java.backward(inputs, batch, javaInputGradients);
            nd4j.backward(inputs, batch, nd4jInputGradients);
            assertClose(java.gradients(), nd4j.gradients(), 1e-5, shape + " parameter gradients");
            assertClose(javaInputGradients, nd4jInputGradients, 1e-5, shape + " input gradients");
            int nonZero = 0;
            for (float g : nd4j.gradients()) {
                nonZero += g != 0 ? 1 : 0;
            }
            assertTrue(nonZero > parameters.length / 2, "most gradients are non-zero, got " + nonZero);
        }
    }

    @Test
    void adamStepsAgreeWithAndWithoutClippingAndForALargeEpsilon() {
        int[] sizes = {6, 24, 24, 2};
        for (DenseNetwork.Optimizer optimizer : new DenseNetwork.Optimizer[] {ADAM, CLIPPED_ADAM, WIDE_EPSILON_ADAM}) {
            SplittableRandom rng = new SplittableRandom(5);
            float[] parameters = initial(sizes, 3);
            DenseNetwork java = new DenseNetwork(sizes, optimizer, parameters);
            Nd4jDenseNetwork nd4j = new Nd4jDenseNetwork(sizes, optimizer, parameters);
            int batch = 32;
            for (int step = 0; step < 25; step++) {
                float[] inputs = gaussian(rng, batch * sizes[0]);
                float[] targets = gaussian(rng, batch * 2);
                squaredErrorGradient(java, java.forward(inputs, batch), targets, batch);
                squaredErrorGradient(nd4j, nd4j.forward(inputs, batch), targets, batch);
                java.backward(inputs, batch, null);
                nd4j.backward(inputs, batch, null);
                double javaNorm = java.applyGradients();
                double nd4jNorm = nd4j.applyGradients();
                assertEquals(javaNorm, nd4jNorm, 1e-5 * javaNorm, "gradient norm at step " + step);
            }
            String what = optimizer + ": ";
            assertEquals(25, nd4j.adamStep());
            assertClose(java.parameters(), nd4j.parameters(), 2e-5, what + "parameters after 25 steps");
            assertClose(java.firstMoments(), nd4j.firstMoments(), 1e-4, what + "first moments");
            assertClose(java.secondMoments(), nd4j.secondMoments(), 1e-4, what + "second moments");
            assertTrue(!Arrays.equals(parameters, nd4j.parameters()), "training moved the parameters");
        }
    }

    @Test
    void restoredAdamStateContinuesLikeTheJavaNetwork() {
        int[] sizes = {3, 8, 2};
        SplittableRandom rng = new SplittableRandom(8);
        float[] parameters = initial(sizes, 8);
        DenseNetwork java = new DenseNetwork(sizes, ADAM, parameters);
        float[] inputs = gaussian(rng, 4 * 3);
        float[] targets = gaussian(rng, 4 * 2);
        for (int step = 0; step < 3; step++) {
            squaredErrorGradient(java, java.forward(inputs, 4), targets, 4);
            java.backward(inputs, 4, null);
            java.applyGradients();
        }
        Nd4jDenseNetwork nd4j = new Nd4jDenseNetwork(sizes, ADAM, java.parameters());
        nd4j.setAdamState(java.adamStep(), java.firstMoments(), java.secondMoments());
        assertArrayEquals(java.firstMoments(), nd4j.firstMoments());
        assertArrayEquals(java.secondMoments(), nd4j.secondMoments());
        assertEquals(3, nd4j.adamStep());
        squaredErrorGradient(java, java.forward(inputs, 4), targets, 4);
        squaredErrorGradient(nd4j, nd4j.forward(inputs, 4), targets, 4);
        java.backward(inputs, 4, null);
        nd4j.backward(inputs, 4, null);
        java.applyGradients();
        nd4j.applyGradients();
        assertClose(java.parameters(), nd4j.parameters(), 1e-6, "parameters one step after the restore");
        assertThrows(IllegalArgumentException.class, () -> nd4j.setAdamState(-1, java.firstMoments(),
                java.secondMoments()));
        assertThrows(IllegalArgumentException.class, () -> nd4j.setAdamState(1, new float[3], new float[3]));
    }

    @Test
    void blendsAndCopiesAcrossBackendsAndRefusesOtherShapes() {
        int[] sizes = {4, 10, 3};
        float[] mine = initial(sizes, 1);
        float[] theirs = initial(sizes, 2);
        DenseNetwork javaTarget = new DenseNetwork(sizes, ADAM, mine);
        Nd4jDenseNetwork nd4jTarget = new Nd4jDenseNetwork(sizes, ADAM, mine);
        DenseNetwork javaSource = new DenseNetwork(sizes, ADAM, theirs);
        Nd4jDenseNetwork nd4jSource = new Nd4jDenseNetwork(sizes, ADAM, theirs);
        javaTarget.blendParametersFrom(javaSource, 0.005);
        nd4jTarget.blendParametersFrom(nd4jSource, 0.005);
        assertClose(javaTarget.parameters(), nd4jTarget.parameters(), 1e-6, "nd4j from nd4j");
        javaTarget.blendParametersFrom(javaSource, 0.3);
        nd4jTarget.blendParametersFrom(javaSource, 0.3);
        assertClose(javaTarget.parameters(), nd4jTarget.parameters(), 1e-6, "nd4j from java");
        DenseNetwork javaFromNd4j = new DenseNetwork(sizes, ADAM, mine);
        javaFromNd4j.blendParametersFrom(nd4jSource, 0.25);
        DenseNetwork javaFromJava = new DenseNetwork(sizes, ADAM, mine);
        javaFromJava.blendParametersFrom(javaSource, 0.25);
        assertArrayEquals(javaFromJava.parameters(), javaFromNd4j.parameters(), "java from nd4j");

        nd4jTarget.copyParametersFrom(javaSource);
        assertArrayEquals(theirs, nd4jTarget.parameters());
        Nd4jDenseNetwork fresh = new Nd4jDenseNetwork(sizes, ADAM, mine);
        fresh.copyParametersFrom(nd4jSource);
        assertArrayEquals(theirs, fresh.parameters());
        javaTarget.copyParametersFrom(nd4jSource);
        assertArrayEquals(theirs, javaTarget.parameters());

        int[] other = {4, 11, 3};
        Nd4jDenseNetwork wider = new Nd4jDenseNetwork(other, ADAM, initial(other, 3));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> nd4jTarget.blendParametersFrom(wider, 0.5));
        assertTrue(refused.getMessage().contains("[4, 11, 3]"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> javaTarget.blendParametersFrom(wider, 0.5));
        assertThrows(IllegalArgumentException.class, () -> javaTarget.copyParametersFrom(wider));
        assertThrows(IllegalArgumentException.class, () -> nd4jTarget.copyParametersFrom(wider));
        assertThrows(IllegalArgumentException.class, () -> nd4jTarget.setParameters(new float[5]));
    }

    @Test
    void batchSizesInterleaveAndBackwardNeedsTheForwardBatch() {
        int[] sizes = {3, 8, 8, 2};
        float[] parameters = initial(sizes, 4);
        DenseNetwork java = new DenseNetwork(sizes, ADAM, parameters);
        Nd4jDenseNetwork nd4j = new Nd4jDenseNetwork(sizes, ADAM, parameters);
        assertThrows(IllegalStateException.class, () -> nd4j.backward(new float[3], 1, null));
        SplittableRandom rng = new SplittableRandom(4);
        float[] many = gaussian(rng, 7 * 3);
        float[] one = gaussian(rng, 3);
        for (int round = 0; round < 3; round++) {
            assertRowsClose(java.forward(one, 1), nd4j.forward(one, 1), 1, 1e-5, "one row");
            float[][] out = nd4j.forward(many, 7);
            assertRowsClose(java.forward(many, 7), out, 7, 1e-5, "seven rows");
            assertRowsClose(java.lastHiddenActivations(), nd4j.lastHiddenActivations(), 7, 1e-5, "features");
        }
        assertThrows(IllegalArgumentException.class, () -> nd4j.backward(many, 6, null));
        assertThrows(IllegalArgumentException.class, () -> nd4j.forward(many, 0));
        assertThrows(IllegalArgumentException.class, () -> new Nd4jDenseNetwork(new int[] {3}, ADAM, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new Nd4jDenseNetwork(sizes, ADAM, new float[4]));
    }
}

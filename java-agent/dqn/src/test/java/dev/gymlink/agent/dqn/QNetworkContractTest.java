package dev.gymlink.agent.dqn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.run.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QNetwork} backend must do: gradients that match finite differences of its
 * own loss, Adam and clipping as specified, and parameter/optimizer round trips.
 */
public abstract class QNetworkContractTest {

    static final int INPUTS = 3;
    static final int OUTPUTS = 3;
    static final int BATCH = 6;

    protected abstract QNetwork create(NetworkSpec spec, float[] parameters);

    static NetworkSpec spec(DqnConfig.Loss loss, double maxGradNorm) {
        return new NetworkSpec(INPUTS, List.of(5, 4), OUTPUTS, loss, 0.01, 1e-8, maxGradNorm);
    }

    /** A fixed random problem: parameters, states, actions and targets. */
    static final class Problem {
        final float[] parameters;
        final float[] states = new float[BATCH * INPUTS];
        final int[] actions = new int[BATCH];
        final float[] targets = new float[BATCH];

        Problem(NetworkSpec spec, long seed, double targetScale) {
            Rng rng = new Rng(seed);
            parameters = spec.initialParameters(DqnConfig.WeightInit.FAN_IN_UNIFORM, rng);
            for (int k = 0; k < states.length; k++) {
                states[k] = (float) rng.nextGaussian();
            }
            for (int b = 0; b < BATCH; b++) {
                actions[b] = rng.nextInt(OUTPUTS);
                targets[b] = (float) (rng.nextGaussian() * targetScale);
            }
        }
    }

    @Test
    void mseGradientMatchesFiniteDifferences() {
        checkGradient(DqnConfig.Loss.MSE, 0.5);
    }

    @Test
    void huberGradientMatchesFiniteDifferencesOnBothBranches() {
        // Targets of scale 2 put some TD errors above 1 (linear branch) and some below (quadratic).
        checkGradient(DqnConfig.Loss.HUBER, 2.0);
    }

    private void checkGradient(DqnConfig.Loss loss, double targetScale) {
        NetworkSpec spec = spec(loss, Double.POSITIVE_INFINITY);
        Problem problem = new Problem(spec, 11, targetScale);
        try (QNetwork network = create(spec, problem.parameters)) {
            network.computeGradients(problem.states, problem.actions, problem.targets, BATCH);
            float[] analytic = network.gradients();
            float h = 1e-3f;
            int checked = 0;
            for (int p = 0; p < analytic.length; p++) {
                float[] plus = problem.parameters.clone();
                plus[p] += h;
                float[] minus = problem.parameters.clone();
                minus[p] -= h;
                network.setParameters(plus);
                double lossPlus = network.computeGradients(problem.states, problem.actions, problem.targets, BATCH);
                network.setParameters(minus);
                double lossMinus = network.computeGradients(problem.states, problem.actions, problem.targets, BATCH);
                double numeric = (lossPlus - lossMinus) / (2 * h);
                assertEquals(numeric, analytic[p], 2e-3 + 2e-2 * Math.abs(numeric),
                        loss + " gradient of parameter " + p);
                checked += analytic[p] != 0 ? 1 : 0;
            }
            assertTrue(checked > analytic.length / 2, "most gradients should be non-zero, got " + checked);
        }
    }

    @Test
    void firstAdamStepMovesEachParameterByTheLearningRateAgainstItsGradient() {
        NetworkSpec spec = spec(DqnConfig.Loss.MSE, Double.POSITIVE_INFINITY);
        Problem problem = new Problem(spec, 5, 1.0);
        try (QNetwork network = create(spec, problem.parameters)) {
            network.computeGradients(problem.states, problem.actions, problem.targets, BATCH);
            float[] gradient = network.gradients();
            network.applyGradients();
            float[] after = network.parameters();
            for (int p = 0; p < after.length; p++) {
                // Bias-corrected first step: m_hat = g, v_hat = g^2, so the step is lr * g / (|g| + eps).
                double expected = problem.parameters[p]
                        - spec.learningRate() * gradient[p] / (Math.abs(gradient[p]) + spec.adamEpsilon());
                assertEquals(expected, after[p], 1e-6, "parameter " + p);
            }
            QNetwork.AdamState state = network.optimizerState();
            assertEquals(1, state.step());
            for (int p = 0; p < gradient.length; p++) {
                double m = 0.1 * gradient[p];
                double v = 0.001 * gradient[p] * gradient[p];
                assertEquals(m, state.firstMoment()[p], 1e-5 * Math.abs(m) + 1e-12, "first moment " + p);
                assertEquals(v, state.secondMoment()[p], 1e-4 * v + 1e-15, "second moment " + p);
            }
        }
    }

    @Test
    void clippingRescalesTheGradientToTheMaxNorm() {
        NetworkSpec spec = spec(DqnConfig.Loss.MSE, 0.05);
        Problem problem = new Problem(spec, 6, 3.0);
        try (QNetwork network = create(spec, problem.parameters)) {
            network.computeGradients(problem.states, problem.actions, problem.targets, BATCH);
            float[] gradient = network.gradients();
            double squares = 0;
            for (float g : gradient) {
                squares += (double) g * g;
            }
            double norm = network.applyGradients();
            assertEquals(Math.sqrt(squares), norm, 1e-5 * norm, "reports the norm before clipping");
            assertTrue(norm > 0.05, "the test needs a gradient above the clip, got " + norm);
            float[] firstMoment = network.optimizerState().firstMoment();
            double scale = 0.05 / (norm + 1e-6);
            for (int p = 0; p < gradient.length; p++) {
                double m = 0.1 * gradient[p] * scale;
                assertEquals(m, firstMoment[p], 1e-5 * Math.abs(m) + 1e-12, "clipped first moment " + p);
            }
        }
    }

    @Test
    void predictAgreesWithTheLossAndParametersRoundTrip() {
        NetworkSpec spec = spec(DqnConfig.Loss.MSE, 10);
        Problem problem = new Problem(spec, 7, 1.0);
        try (QNetwork network = create(spec, problem.parameters)) {
            assertArrayEquals(problem.parameters, network.parameters());
            float[] q = new float[BATCH * OUTPUTS];
            network.predict(problem.states, BATCH, q);
            double expected = 0;
            for (int b = 0; b < BATCH; b++) {
                double error = q[b * OUTPUTS + problem.actions[b]] - problem.targets[b];
                expected += error * error / BATCH;
            }
            double loss = network.computeGradients(problem.states, problem.actions, problem.targets, BATCH);
            assertEquals(expected, loss, 1e-5);
        }
    }

    @Test
    void optimizerStateAndPolyakBlendRoundTrip() {
        NetworkSpec spec = spec(DqnConfig.Loss.HUBER, 10);
        Problem problem = new Problem(spec, 8, 1.0);
        Problem other = new Problem(spec, 9, 1.0);
        try (QNetwork network = create(spec, problem.parameters);
                QNetwork copy = create(spec, other.parameters)) {
            network.train(problem.states, problem.actions, problem.targets, BATCH);
            network.train(problem.states, problem.actions, problem.targets, BATCH);
            copy.copyParametersFrom(network);
            copy.setOptimizerState(network.optimizerState());
            network.train(problem.states, problem.actions, problem.targets, BATCH);
            copy.train(problem.states, problem.actions, problem.targets, BATCH);
            assertArrayEquals(network.parameters(), copy.parameters(), "same state, same step");

            float[] before = copy.parameters();
            copy.blendParametersFrom(create(spec, other.parameters), 0.25);
            float[] blended = copy.parameters();
            for (int p = 0; p < blended.length; p++) {
                assertEquals(0.25 * other.parameters[p] + 0.75 * before[p], blended[p], 1e-6, "blend " + p);
            }
        }
    }
}

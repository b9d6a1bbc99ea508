package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.TrainableNetwork;
import java.util.Arrays;

/**
 * The TD loss on the taken action's Q-value, over a dense network of any backend: the plain-Java
 * {@link DenseNetwork} (hand-written passes and Adam on float arrays; nothing allocated per call once
 * the work buffers have grown to the largest batch seen, which keeps small networks at microseconds
 * per update), or gymlink-dqn-nd4j's network, whose provider wraps it in this class.
 */
public final class DenseQNetwork implements QNetwork {

    private final NetworkSpec spec;
    private final DqnConfig.Loss loss;
    private final TrainableNetwork network;

    /** On the plain-Java backend. */
    public DenseQNetwork(NetworkSpec spec, float[] initialParameters) {
        this(spec, new DenseNetwork(spec.layerSizes(), optimizer(spec), initialParameters));
    }

    /** On {@code network}, whose layers must be {@code spec}'s. */
    public DenseQNetwork(NetworkSpec spec, TrainableNetwork network) {
        if (!Arrays.equals(network.sizes(), spec.layerSizes())) {
            throw new IllegalArgumentException("a network of layers " + Arrays.toString(network.sizes())
                    + " cannot serve a Q-network of layers " + Arrays.toString(spec.layerSizes()));
        }
        this.spec = spec;
        this.loss = spec.loss();
        this.network = network;
    }

    /** The Adam settings a Q-network of {@code spec} trains with, for any backend. */
    public static DenseNetwork.Optimizer optimizer(NetworkSpec spec) {
        return new DenseNetwork.Optimizer(spec.learningRate(), spec.adamEpsilon(), spec.maxGradNorm());
    }

    /** The network it trains, of whichever backend. */
    public TrainableNetwork network() {
        return network;
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public void predict(float[] states, int batch, float[] qValues) {
        float[][] q = network.forward(states, batch);
        int outputs = spec.outputs();
        for (int b = 0; b < batch; b++) {
            System.arraycopy(q[b], 0, qValues, b * outputs, outputs);
        }
    }

    @Override
    public double computeGradients(float[] states, int[] actions, float[] targets, int batch) {
        float[][] q = network.forward(states, batch);
        int outputs = spec.outputs();
        float[][] outputDelta = network.outputGradients();
        double lossSum = 0;
        float scale = 1f / batch;
        for (int b = 0; b < batch; b++) {
            int a = actions[b];
            if (a < 0 || a >= outputs) {
                throw new IllegalArgumentException("action " + a + " is outside 0.." + (outputs - 1));
            }
            float error = q[b][a] - targets[b];
            lossSum += loss.value(error);
            Arrays.fill(outputDelta[b], 0f);
            outputDelta[b][a] = loss.slope(error) * scale;
        }
        network.backward(states, batch, null);
        return lossSum / batch;
    }

    @Override
    public double applyGradients() {
        return network.applyGradients();
    }

    @Override
    public float[] parameters() {
        return network.parameters();
    }

    @Override
    public void setParameters(float[] parameters) {
        network.setParameters(parameters);
    }

    @Override
    public float[] gradients() {
        return network.gradients();
    }

    @Override
    public void copyParametersFrom(QNetwork source) {
        // The network blends and copies across backends itself.
        network.copyParametersFrom(((DenseQNetwork) source).network);
    }

    @Override
    public void blendParametersFrom(QNetwork source, double tau) {
        network.blendParametersFrom(((DenseQNetwork) source).network, tau);
    }

    @Override
    public AdamState optimizerState() {
        return new AdamState(network.adamStep(), network.firstMoments(), network.secondMoments());
    }

    @Override
    public void setOptimizerState(AdamState state) {
        network.setAdamState(state.step(), state.firstMoment(), state.secondMoment());
    }

    @Override
    public void close() {
        network.close();
    }
}

package dev.gymlink.agent.dqn.nd4j;

import dev.gymlink.agent.dqn.JavaQNetwork;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworks;
import dev.gymlink.agent.mlp.DenseNetwork;
import java.util.Arrays;

/**
 * The ND4J backend: {@link JavaQNetwork}'s TD loss on an {@link Nd4jDenseNetwork} (BLAS gemm for
 * every layer). Each native op costs microseconds of overhead whatever its size, so this wins only
 * when layers and batches are large enough for gemm to dominate; {@link QNetworks#resolve} picks
 * it from the measured crossover.
 */
public final class Nd4jQNetwork implements QNetwork {

    private final NetworkSpec spec;
    private final Nd4jDenseNetwork network;

    public Nd4jQNetwork(NetworkSpec spec, float[] initialParameters) {
        this.spec = spec;
        this.network = new Nd4jDenseNetwork(spec.layerSizes(),
                new DenseNetwork.Optimizer(spec.learningRate(), spec.adamEpsilon(), spec.maxGradNorm()),
                initialParameters);
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
            lossSum += spec.loss().value(error);
            Arrays.fill(outputDelta[b], 0f);
            outputDelta[b][a] = spec.loss().slope(error) * scale;
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
        if (source instanceof Nd4jQNetwork nd4j) {
            network.copyParametersFrom(nd4j.network);
        } else {
            setParameters(source.parameters());
        }
    }

    @Override
    public void blendParametersFrom(QNetwork source, double tau) {
        if (source instanceof Nd4jQNetwork nd4j) {
            network.blendParametersFrom(nd4j.network, tau);
        } else {
            network.blendParameters(source.parameters(), tau);
        }
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

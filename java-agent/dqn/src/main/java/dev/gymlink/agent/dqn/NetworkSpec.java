package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.run.Rng;
import java.util.List;
import java.util.Objects;

/**
 * The shape of an MLP Q-network and how it is trained: ReLU hidden layers, a linear output with
 * one Q-value per action, Adam on a TD loss with optional global gradient-norm clipping.
 *
 * <p>Parameters are addressed as one flat vector, layer by layer, each layer's weights
 * {@code [inputs x outputs]} row-major followed by its biases; every backend uses this layout, so
 * weights move between backends and into checkpoints unchanged.
 *
 * @param inputs observation vector length
 * @param hiddenSizes hidden layer widths
 * @param outputs number of actions
 * @param loss TD loss
 * @param learningRate Adam step size
 * @param adamEpsilon Adam's denominator guard
 * @param maxGradNorm global L2 clip; infinity disables it
 */
public record NetworkSpec(
        int inputs, List<Integer> hiddenSizes, int outputs, DqnConfig.Loss loss, double learningRate,
        double adamEpsilon, double maxGradNorm) {

    public static final double ADAM_BETA1 = DenseNetwork.ADAM_BETA1;
    public static final double ADAM_BETA2 = DenseNetwork.ADAM_BETA2;

    public NetworkSpec {
        hiddenSizes = List.copyOf(hiddenSizes);
        Objects.requireNonNull(loss, "loss");
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("a network needs inputs and outputs, got " + inputs + " and " + outputs);
        }
    }

    public static NetworkSpec of(DqnConfig config, int inputs, int outputs) {
        return new NetworkSpec(inputs, config.hiddenSizes(), outputs, config.loss(), config.learningRate(),
                config.adamEpsilon(), config.maxGradNorm());
    }

    /** Widths of all layers, input first, output last. */
    public int[] layerSizes() {
        int[] sizes = new int[hiddenSizes.size() + 2];
        sizes[0] = inputs;
        for (int i = 0; i < hiddenSizes.size(); i++) {
            sizes[i + 1] = hiddenSizes.get(i);
        }
        sizes[sizes.length - 1] = outputs;
        return sizes;
    }

    /** Number of weight layers. */
    public int layers() {
        return hiddenSizes.size() + 1;
    }

    public int parameterCount() {
        int[] sizes = layerSizes();
        int count = 0;
        for (int l = 0; l < sizes.length - 1; l++) {
            count += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return count;
    }

    /** Offset of layer {@code l}'s weights in the flat parameter vector. */
    public int weightOffset(int l) {
        int[] sizes = layerSizes();
        int offset = 0;
        for (int k = 0; k < l; k++) {
            offset += sizes[k] * sizes[k + 1] + sizes[k + 1];
        }
        return offset;
    }

    /** Offset of layer {@code l}'s biases in the flat parameter vector. */
    public int biasOffset(int l) {
        int[] sizes = layerSizes();
        return weightOffset(l) + sizes[l] * sizes[l + 1];
    }

    /** Initial parameters drawn with {@code init}. */
    public float[] initialParameters(DqnConfig.WeightInit init, Rng rng) {
        return DenseNetwork.initialParameters(layerSizes(),
                (fanIn, fanOut) -> switch (init) {
                    case GLOROT_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
                    case FAN_IN_UNIFORM -> 1.0 / Math.sqrt(fanIn);
                },
                fanIn -> init == DqnConfig.WeightInit.FAN_IN_UNIFORM ? 1.0 / Math.sqrt(fanIn) : 0.0,
                rng::nextDouble);
    }
}

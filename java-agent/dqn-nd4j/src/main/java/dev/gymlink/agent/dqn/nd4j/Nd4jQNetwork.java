package dev.gymlink.agent.dqn.nd4j;

import dev.gymlink.agent.dqn.JavaQNetwork;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.QNetworks;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ND4J backend: the same network, loss, backprop and Adam as {@link JavaQNetwork}, written as
 * ND4J matrix ops (BLAS gemm for every layer). Each native op costs microseconds of overhead
 * whatever its size, so this wins only when layers and batches are large enough for gemm to
 * dominate; {@link QNetworks#resolve} picks it from the measured crossover.
 *
 * <p>Parameters, gradients and Adam's moments each live in one flat ND4J vector in the
 * {@link NetworkSpec} layout; the per-layer weight and bias matrices are views into it, so the
 * optimiser runs as a handful of whole-vector ops.
 */
public final class Nd4jQNetwork implements QNetwork {

    private final NetworkSpec spec;
    private final int[] sizes;
    private final int layers;
    private final INDArray params;
    private final INDArray grads;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private long adamStep;

    /** Activations of the last forward pass: index 0 the input, then each layer's output. */
    private final INDArray[] activations;

    public Nd4jQNetwork(NetworkSpec spec, float[] initialParameters) {
        this.spec = spec;
        this.sizes = spec.layerSizes();
        this.layers = spec.layers();
        int count = spec.parameterCount();
        this.params = Nd4j.create(DataType.FLOAT, count);
        this.grads = Nd4j.create(DataType.FLOAT, count);
        this.firstMoment = Nd4j.create(DataType.FLOAT, count);
        this.secondMoment = Nd4j.create(DataType.FLOAT, count);
        this.weights = new INDArray[layers];
        this.biases = new INDArray[layers];
        this.weightGrads = new INDArray[layers];
        this.biasGrads = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            int w = spec.weightOffset(l);
            int b = spec.biasOffset(l);
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            weights[l] = view(params, w, nIn, nOut);
            biases[l] = view(params, b, 1, nOut);
            weightGrads[l] = view(grads, w, nIn, nOut);
            biasGrads[l] = view(grads, b, 1, nOut);
        }
        this.activations = new INDArray[layers + 1];
        setParameters(initialParameters);
    }

    /** A {@code rows x columns} row-major view of {@code flat[offset, offset + rows * columns)}. */
    private static INDArray view(INDArray flat, int offset, int rows, int columns) {
        INDArray view = flat.get(NDArrayIndex.interval(offset, offset + (long) rows * columns)).reshape('c', rows, columns);
        if (!view.isView()) {
            throw new IllegalStateException("ND4J copied a parameter slice instead of viewing it");
        }
        return view;
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public void predict(float[] states, int batch, float[] qValues) {
        INDArray q = forward(states, batch);
        q.data().asNioFloat().get(qValues, 0, batch * sizes[layers]);
    }

    private INDArray forward(float[] states, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        int inputs = sizes[0];
        float[] rows = states.length == batch * inputs ? states : Arrays.copyOf(states, batch * inputs);
        INDArray x = Nd4j.create(rows, new long[] {batch, inputs}, DataType.FLOAT);
        activations[0] = x;
        for (int l = 0; l < layers; l++) {
            INDArray z = x.mmul(weights[l]).addiRowVector(biases[l]);
            x = l < layers - 1 ? Transforms.relu(z, false) : z;
            activations[l + 1] = x;
        }
        return x.dup('c');
    }

    @Override
    public double computeGradients(float[] states, int[] actions, float[] targets, int batch) {
        int outputs = sizes[layers];
        float[] q = new float[batch * outputs];
        forward(states, batch).data().asNioFloat().get(q, 0, batch * outputs);
        float[] outputDelta = new float[batch * outputs];
        double lossSum = 0;
        float scale = 1f / batch;
        for (int b = 0; b < batch; b++) {
            int a = actions[b];
            if (a < 0 || a >= outputs) {
                throw new IllegalArgumentException("action " + a + " is outside 0.." + (outputs - 1));
            }
            float error = q[b * outputs + a] - targets[b];
            lossSum += spec.loss().value(error);
            outputDelta[b * outputs + a] = spec.loss().slope(error) * scale;
        }
        INDArray delta = Nd4j.create(outputDelta, new long[] {batch, outputs}, DataType.FLOAT);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, batch);
        for (int l = layers - 1; l >= 0; l--) {
            Nd4j.gemm(activations[l], delta, weightGrads[l], true, false, 1.0, 0.0);
            Nd4j.gemm(ones, delta, biasGrads[l], false, false, 1.0, 0.0);
            if (l > 0) {
                INDArray mask = activations[l].gt(0).castTo(DataType.FLOAT);
                delta = Nd4j.gemm(delta, weights[l], false, true).muli(mask);
            }
        }
        return lossSum / batch;
    }

    @Override
    public double applyGradients() {
        double norm = grads.norm2Number().doubleValue();
        INDArray gradient = norm > spec.maxGradNorm() ? grads.mul(spec.maxGradNorm() / (norm + 1e-6)) : grads;
        adamStep++;
        double beta1 = NetworkSpec.ADAM_BETA1;
        double beta2 = NetworkSpec.ADAM_BETA2;
        double stepSize = spec.learningRate() / (1 - Math.pow(beta1, adamStep));
        double secondCorrection = 1 / Math.sqrt(1 - Math.pow(beta2, adamStep));
        firstMoment.muli(beta1).addi(gradient.mul(1 - beta1));
        secondMoment.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        INDArray denominator = Transforms.sqrt(secondMoment, true).muli(secondCorrection).addi(spec.adamEpsilon());
        params.subi(firstMoment.mul(stepSize).divi(denominator));
        return norm;
    }

    @Override
    public float[] parameters() {
        return params.toFloatVector();
    }

    @Override
    public void setParameters(float[] parameters) {
        checkLength(parameters.length);
        params.assign(Nd4j.create(parameters, new long[] {parameters.length}, DataType.FLOAT));
    }

    @Override
    public float[] gradients() {
        return grads.toFloatVector();
    }

    @Override
    public void copyParametersFrom(QNetwork source) {
        if (source instanceof Nd4jQNetwork nd4j) {
            params.assign(nd4j.params);
        } else {
            setParameters(source.parameters());
        }
    }

    @Override
    public void blendParametersFrom(QNetwork source, double tau) {
        INDArray from = source instanceof Nd4jQNetwork nd4j
                ? nd4j.params
                : Nd4j.create(source.parameters(), new long[] {params.length()}, DataType.FLOAT);
        checkLength(from.length());
        params.muli(1 - tau).addi(from.mul(tau));
    }

    @Override
    public AdamState optimizerState() {
        return new AdamState(adamStep, firstMoment.toFloatVector(), secondMoment.toFloatVector());
    }

    @Override
    public void setOptimizerState(AdamState state) {
        checkLength(state.firstMoment().length);
        long n = state.firstMoment().length;
        firstMoment.assign(Nd4j.create(state.firstMoment(), new long[] {n}, DataType.FLOAT));
        secondMoment.assign(Nd4j.create(state.secondMoment(), new long[] {n}, DataType.FLOAT));
        adamStep = state.step();
    }

    private void checkLength(long length) {
        if (length != spec.parameterCount()) {
            throw new IllegalArgumentException("network " + Arrays.toString(sizes) + " has " + spec.parameterCount()
                    + " parameters, got " + length);
        }
    }

    @Override
    public void close() {
        params.close();
        grads.close();
        firstMoment.close();
        secondMoment.close();
    }
}

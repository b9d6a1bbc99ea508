package dev.gymlink.agent.mlp;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * A multilayer perceptron in plain Java: dense layers, ReLU between them, a linear output, and Adam
 * with optional global gradient-norm clipping. Hand-written forward and backward passes on float
 * arrays; nothing is allocated per call once the work buffers have grown to the largest batch seen.
 * The loss is the caller's: it reads the outputs of {@link #forward}, writes the loss gradient with
 * respect to them into {@link #outputGradients}, then calls {@link #backward}, which can also return
 * the gradient with respect to the inputs (SAC's actor learns through its critic that way).
 *
 * <p>Parameters are addressed as one flat vector, layer by layer, each layer's weights
 * {@code [inputs x outputs]} row-major followed by its biases.
 *
 * <p>Every weight row, activation row and gradient row is its own {@code float[]}, and inner loops
 * combine four rows per pass ({@code out[j] += x0*w0[j] + x1*w1[j] + x2*w2[j] + x3*w3[j]}): the
 * JIT vectorises loops over distinct arrays with a common index far better than over offsets into
 * one flat array (measured 4-5x), and each output element is loaded and stored once per four
 * products. Backprop to a layer's input uses a transposed copy of its weights, refreshed lazily
 * after parameter changes, for the same reason. Not thread-safe.
 *
 * <p>The {@link NetworkBackend#JAVA} backend; {@link TrainableNetwork} states the contract that
 * other backends share with it.
 */
public final class DenseNetwork implements TrainableNetwork {

    public static final double ADAM_BETA1 = 0.9;
    public static final double ADAM_BETA2 = 0.999;

    /**
     * How the network learns.
     *
     * @param learningRate Adam step size
     * @param adamEpsilon Adam's denominator guard
     * @param maxGradNorm global L2 clip; infinity disables it
     */
    public record Optimizer(double learningRate, double adamEpsilon, double maxGradNorm) {
        public Optimizer {
            if (!(learningRate > 0) || !(adamEpsilon > 0) || !(maxGradNorm > 0)) {
                throw new IllegalArgumentException("learning rate, Adam epsilon and max gradient norm must be"
                        + " positive, got " + learningRate + ", " + adamEpsilon + ", " + maxGradNorm);
            }
        }
    }

    private final int[] sizes;
    private final int layers;
    private final int parameterCount;
    private Optimizer optimizer;

    /** {@code weights[l][i][j]}: layer l, input unit i, output unit j. */
    private final float[][][] weights;
    private final float[][] biases;
    private final float[][][] weightGrads;
    private final float[][] biasGrads;
    /** Adam moments, and every parameter row listed once, in the flat layout's order. */
    private final float[][] parameterRows;
    private final float[][] gradientRows;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    /** {@code transposed[l][j][i] == weights[l][i][j]}; layer 0's only once input gradients were asked for. */
    private final float[][][] transposed;
    private boolean transposedStale = true;
    private long adamStep;

    /** {@code activations[l][b]}: output row of layer l-1 (after ReLU for hidden layers) for batch row b. */
    private final float[][][] activations;
    /** {@code deltas[l][b]}: loss gradient with respect to the pre-activation of that row. */
    private final float[][][] deltas;
    private int capacity;

    /**
     * @param sizes widths of all layers, input first, output last
     * @param optimizer how {@link #applyGradients} steps
     * @param initialParameters flat layout, e.g. from {@link #initialParameters}
     */
    public DenseNetwork(int[] sizes, Optimizer optimizer, float[] initialParameters) {
        this.sizes = checkedSizes(sizes);
        this.layers = sizes.length - 1;
        this.parameterCount = parameterCount(sizes);
        this.optimizer = optimizer;
        this.weights = new float[layers][][];
        this.biases = new float[layers][];
        this.weightGrads = new float[layers][][];
        this.biasGrads = new float[layers][];
        this.transposed = new float[layers][][];
        int rowCount = 0;
        for (int l = 0; l < layers; l++) {
            weights[l] = new float[sizes[l]][sizes[l + 1]];
            biases[l] = new float[sizes[l + 1]];
            weightGrads[l] = new float[sizes[l]][sizes[l + 1]];
            biasGrads[l] = new float[sizes[l + 1]];
            if (l > 0) {
                transposed[l] = new float[sizes[l + 1]][sizes[l]];
            }
            rowCount += sizes[l] + 1;
        }
        this.parameterRows = new float[rowCount][];
        this.gradientRows = new float[rowCount][];
        this.firstMoments = new float[rowCount][];
        this.secondMoments = new float[rowCount][];
        int r = 0;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < sizes[l]; i++, r++) {
                parameterRows[r] = weights[l][i];
                gradientRows[r] = weightGrads[l][i];
            }
            parameterRows[r] = biases[l];
            gradientRows[r] = biasGrads[l];
            r++;
        }
        for (int k = 0; k < rowCount; k++) {
            firstMoments[k] = new float[parameterRows[k].length];
            secondMoments[k] = new float[parameterRows[k].length];
        }
        this.activations = new float[layers + 1][][];
        this.deltas = new float[layers + 1][][];
        setParameters(initialParameters);
        ensureCapacity(1);
    }

    /**
     * A copy of {@code sizes}, the widths of all layers of a network, input first, output last.
     *
     * @throws IllegalArgumentException without an input and an output layer, or for a width below 1
     */
    public static int[] checkedSizes(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a network needs at least an input and an output layer, got "
                    + Arrays.toString(sizes));
        }
        for (int size : sizes) {
            if (size <= 0) {
                throw new IllegalArgumentException("layer widths must be positive, got " + Arrays.toString(sizes));
            }
        }
        return sizes.clone();
    }

    /** Number of parameters of a network with these layer widths. */
    public static int parameterCount(int[] sizes) {
        int count = 0;
        for (int l = 0; l < sizes.length - 1; l++) {
            count += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return count;
    }

    /**
     * Initial parameters: each layer's weights uniform in {@code +-weightBound(fanIn, fanOut)} and its
     * biases in {@code +-biasBound(fanIn)}, drawn in the flat layout's order from {@code uniform01}.
     */
    public static float[] initialParameters(int[] sizes, Bounds weightBound, IntToDoubleFunction biasBound,
            DoubleSupplier uniform01) {
        float[] params = new float[parameterCount(sizes)];
        int offset = 0;
        for (int l = 0; l < sizes.length - 1; l++) {
            int fanIn = sizes[l];
            int fanOut = sizes[l + 1];
            double w = weightBound.of(fanIn, fanOut);
            for (int i = 0; i < fanIn * fanOut; i++) {
                params[offset++] = (float) ((uniform01.getAsDouble() * 2 - 1) * w);
            }
            double b = biasBound.applyAsDouble(fanIn);
            for (int j = 0; j < fanOut; j++) {
                params[offset++] = (float) ((uniform01.getAsDouble() * 2 - 1) * b);
            }
        }
        return params;
    }

    /** A weight bound by fan-in and fan-out. */
    @FunctionalInterface
    public interface Bounds {
        double of(int fanIn, int fanOut);
    }

    /** Widths of all layers, input first, output last. */
    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    @Override
    public int inputs() {
        return sizes[0];
    }

    @Override
    public int outputs() {
        return sizes[layers];
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Changes how later steps are taken (Adam's moments stay). */
    public void setOptimizer(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    /**
     * Runs the first {@code batch} rows of {@code inputs} (row-major) through the network.
     *
     * @return the output rows, {@code [b][j]}; valid until the next forward pass
     */
    @Override
    public float[][] forward(float[] inputs, int batch) {
        ensureCapacity(batch);
        int inputSize = sizes[0];
        for (int l = 0; l < layers; l++) {
            float[][] w = weights[l];
            float[] bias = biases[l];
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            boolean hidden = l < layers - 1;
            for (int b = 0; b < batch; b++) {
                float[] out = activations[l + 1][b];
                float[] in = l == 0 ? null : activations[l][b];
                int stateRow = b * inputSize;
                System.arraycopy(bias, 0, out, 0, nOut);
                int i = 0;
                for (; i + 3 < nIn; i += 4) {
                    float x0 = l == 0 ? inputs[stateRow + i] : in[i];
                    float x1 = l == 0 ? inputs[stateRow + i + 1] : in[i + 1];
                    float x2 = l == 0 ? inputs[stateRow + i + 2] : in[i + 2];
                    float x3 = l == 0 ? inputs[stateRow + i + 3] : in[i + 3];
                    float[] w0 = w[i];
                    float[] w1 = w[i + 1];
                    float[] w2 = w[i + 2];
                    float[] w3 = w[i + 3];
                    for (int j = 0; j < nOut; j++) {
                        out[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
                    }
                }
                for (; i < nIn; i++) {
                    float x = l == 0 ? inputs[stateRow + i] : in[i];
                    float[] w0 = w[i];
                    for (int j = 0; j < nOut; j++) {
                        out[j] += x * w0[j];
                    }
                }
                if (hidden) {
                    for (int j = 0; j < nOut; j++) {
                        out[j] = Math.max(out[j], 0f);
                    }
                }
            }
        }
        return activations[layers];
    }

    /**
     * The last hidden layer's outputs (after ReLU) of the last forward pass, {@code [b][j]}: the
     * features the output layer reads. Valid until the next forward pass.
     *
     * @throws IllegalStateException when the network has no hidden layer
     */
    @Override
    public float[][] lastHiddenActivations() {
        if (layers < 2) {
            throw new IllegalStateException("a network without hidden layers has no hidden activations");
        }
        return activations[layers - 1];
    }

    /**
     * Where the caller writes {@code dLoss/dOutput[b][j]} for the batch of the last {@link #forward},
     * before {@link #backward}. Rows hold what was last written; the caller sets every element it uses.
     */
    @Override
    public float[][] outputGradients() {
        return deltas[layers];
    }

    /**
     * Backpropagates {@link #outputGradients} of the last forward pass (which must have had these
     * {@code inputs} and {@code batch}) into the parameter gradients, replacing the previous ones.
     *
     * @param inputGradients when not null, receives {@code dLoss/dInput} row-major, {@code [b * inputs + i]}
     */
    @Override
    public void backward(float[] inputs, int batch, float[] inputGradients) {
        for (float[] row : gradientRows) {
            Arrays.fill(row, 0f);
        }
        refreshTransposed(inputGradients != null);
        int inputSize = sizes[0];
        for (int l = layers - 1; l >= 0; l--) {
            float[][] delta = deltas[l + 1];
            float[][] in = activations[l];
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            float[] biasGrad = biasGrads[l];
            for (int b = 0; b < batch; b++) {
                float[] d = delta[b];
                for (int j = 0; j < nOut; j++) {
                    biasGrad[j] += d[j];
                }
            }
            // dW[i][j] = sum_b in[b][i] * delta[b][j], four batch rows per pass over a gradient row.
            for (int i = 0; i < nIn; i++) {
                float[] g = weightGrads[l][i];
                int b = 0;
                for (; b + 3 < batch; b += 4) {
                    float x0 = l == 0 ? inputs[b * inputSize + i] : in[b][i];
                    float x1 = l == 0 ? inputs[(b + 1) * inputSize + i] : in[b + 1][i];
                    float x2 = l == 0 ? inputs[(b + 2) * inputSize + i] : in[b + 2][i];
                    float x3 = l == 0 ? inputs[(b + 3) * inputSize + i] : in[b + 3][i];
                    float[] d0 = delta[b];
                    float[] d1 = delta[b + 1];
                    float[] d2 = delta[b + 2];
                    float[] d3 = delta[b + 3];
                    for (int j = 0; j < nOut; j++) {
                        g[j] += x0 * d0[j] + x1 * d1[j] + x2 * d2[j] + x3 * d3[j];
                    }
                }
                for (; b < batch; b++) {
                    float x = l == 0 ? inputs[b * inputSize + i] : in[b][i];
                    float[] d0 = delta[b];
                    for (int j = 0; j < nOut; j++) {
                        g[j] += x * d0[j];
                    }
                }
            }
            if (l == 0) {
                if (inputGradients != null) {
                    for (int b = 0; b < batch; b++) {
                        propagate(delta[b], transposed[0], nIn, nOut, inputGradients, b * inputSize);
                    }
                }
                break;
            }
            // dIn[b][i] = sum_j delta[b][j] * w[i][j], along rows of the transposed weights; then ReLU's mask.
            float[][] t = transposed[l];
            float[][] inputDelta = deltas[l];
            for (int b = 0; b < batch; b++) {
                float[] out = inputDelta[b];
                propagate(delta[b], t, nIn, nOut, out, 0);
                float[] activation = in[b];
                for (int i = 0; i < nIn; i++) {
                    if (activation[i] <= 0f) {
                        out[i] = 0f;
                    }
                }
            }
        }
    }

    /** {@code out[offset + i] = sum_j d[j] * t[j][i]}. */
    private static void propagate(float[] d, float[][] t, int nIn, int nOut, float[] out, int offset) {
        Arrays.fill(out, offset, offset + nIn, 0f);
        int j = 0;
        for (; j + 3 < nOut; j += 4) {
            float g0 = d[j];
            float g1 = d[j + 1];
            float g2 = d[j + 2];
            float g3 = d[j + 3];
            float[] t0 = t[j];
            float[] t1 = t[j + 1];
            float[] t2 = t[j + 2];
            float[] t3 = t[j + 3];
            for (int i = 0; i < nIn; i++) {
                out[offset + i] += g0 * t0[i] + g1 * t1[i] + g2 * t2[i] + g3 * t3[i];
            }
        }
        for (; j < nOut; j++) {
            float g0 = d[j];
            if (g0 == 0f) {
                continue;
            }
            float[] t0 = t[j];
            for (int i = 0; i < nIn; i++) {
                out[offset + i] += g0 * t0[i];
            }
        }
    }

    private void refreshTransposed(boolean firstLayerToo) {
        if (firstLayerToo && transposed[0] == null) {
            transposed[0] = new float[sizes[1]][sizes[0]];
            transposedStale = true;
        }
        if (!transposedStale) {
            return;
        }
        for (int l = 0; l < layers; l++) {
            float[][] t = transposed[l];
            if (t == null) {
                continue;
            }
            float[][] w = weights[l];
            for (int i = 0; i < sizes[l]; i++) {
                for (int j = 0; j < sizes[l + 1]; j++) {
                    t[j][i] = w[i][j];
                }
            }
        }
        transposedStale = false;
    }

    /**
     * Rescales the kept gradient to the optimizer's max norm when it is larger, then takes one Adam step.
     *
     * @return the gradient's global L2 norm before clipping
     */
    @Override
    public double applyGradients() {
        double squares = 0;
        for (float[] row : gradientRows) {
            for (float g : row) {
                squares += (double) g * g;
            }
        }
        double norm = Math.sqrt(squares);
        float clip = norm > optimizer.maxGradNorm() ? (float) (optimizer.maxGradNorm() / (norm + 1e-6)) : 1f;
        adamStep++;
        adamUpdate(parameterRows, gradientRows, firstMoments, secondMoments, clip, adamStep, optimizer);
        transposedStale = true;
        return norm;
    }

    /**
     * PyTorch's Adam step on parameter rows, in float: the one implementation behind the networks'
     * {@link #applyGradients} and {@link AdamVector}. Row {@code r} of each array belongs together.
     *
     * @param clip factor applied to every gradient first
     * @param step the step being taken, from 1 (for bias correction)
     */
    static void adamUpdate(float[][] parameters, float[][] gradients, float[][] firstMoments,
            float[][] secondMoments, float clip, long step, Optimizer optimizer) {
        float beta1 = (float) ADAM_BETA1;
        float beta2 = (float) ADAM_BETA2;
        float stepSize = (float) (optimizer.learningRate() / (1 - Math.pow(ADAM_BETA1, step)));
        float secondCorrection = (float) (1 / Math.sqrt(1 - Math.pow(ADAM_BETA2, step)));
        float epsilon = (float) optimizer.adamEpsilon();
        for (int r = 0; r < parameters.length; r++) {
            float[] p = parameters[r];
            float[] grad = gradients[r];
            float[] m1 = firstMoments[r];
            float[] m2 = secondMoments[r];
            for (int k = 0; k < p.length; k++) {
                float g = grad[k] * clip;
                float m = beta1 * m1[k] + (1 - beta1) * g;
                float v = beta2 * m2[k] + (1 - beta2) * g * g;
                m1[k] = m;
                m2[k] = v;
                p[k] -= stepSize * m / ((float) Math.sqrt(v) * secondCorrection + epsilon);
            }
        }
    }

    /** A copy of the parameters, flat layout. */
    @Override
    public float[] parameters() {
        return flatten(parameterRows);
    }

    /** Replaces the parameters (flat layout); Adam's state is left as it is. */
    @Override
    public void setParameters(float[] parameters) {
        unflatten(parameters, parameterRows);
        transposedStale = true;
    }

    /** A copy of the last computed gradient, flat layout. */
    @Override
    public float[] gradients() {
        return flatten(gradientRows);
    }

    /** Hard target update: this network's parameters become {@code source}'s. */
    @Override
    public void copyParametersFrom(TrainableNetwork source) {
        float[][] from = source instanceof DenseNetwork dense ? sameShape(dense).parameterRows : rowsOf(source);
        for (int r = 0; r < parameterRows.length; r++) {
            System.arraycopy(from[r], 0, parameterRows[r], 0, parameterRows[r].length);
        }
        transposedStale = true;
    }

    /** Polyak target update: {@code this = tau * source + (1 - tau) * this}. */
    @Override
    public void blendParametersFrom(TrainableNetwork source, double tau) {
        float t = (float) tau;
        float[][] from = source instanceof DenseNetwork dense ? sameShape(dense).parameterRows : rowsOf(source);
        for (int r = 0; r < parameterRows.length; r++) {
            float[] mine = parameterRows[r];
            float[] theirs = from[r];
            for (int k = 0; k < mine.length; k++) {
                mine[k] = t * theirs[k] + (1 - t) * mine[k];
            }
        }
        transposedStale = true;
    }

    /** Adam steps taken (for bias correction). */
    @Override
    public long adamStep() {
        return adamStep;
    }

    /** Adam's running mean of gradients, flat layout. */
    @Override
    public float[] firstMoments() {
        return flatten(firstMoments);
    }

    /** Adam's running mean of squared gradients, flat layout. */
    @Override
    public float[] secondMoments() {
        return flatten(secondMoments);
    }

    /** Restores Adam's state as {@link #adamStep}, {@link #firstMoments} and {@link #secondMoments} gave it. */
    @Override
    public void setAdamState(long step, float[] firstMoment, float[] secondMoment) {
        if (step < 0) {
            throw new IllegalArgumentException("Adam step must be >= 0, got " + step);
        }
        unflatten(firstMoment, firstMoments);
        unflatten(secondMoment, secondMoments);
        adamStep = step;
    }

    private DenseNetwork sameShape(DenseNetwork source) {
        requireSameShape(source.sizes);
        return source;
    }

    private void requireSameShape(int[] sourceSizes) {
        if (!Arrays.equals(sizes, sourceSizes)) {
            throw new IllegalArgumentException("network " + Arrays.toString(sourceSizes) + " does not fit "
                    + Arrays.toString(sizes));
        }
    }

    /** Another backend's parameters cut into rows shaped like this network's. */
    private float[][] rowsOf(TrainableNetwork source) {
        requireSameShape(source.sizes());
        float[][] rows = new float[parameterRows.length][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new float[parameterRows[r].length];
        }
        unflatten(source.parameters(), rows);
        return rows;
    }

    private float[] flatten(float[][] rows) {
        float[] flat = new float[parameterCount];
        int offset = 0;
        for (float[] row : rows) {
            System.arraycopy(row, 0, flat, offset, row.length);
            offset += row.length;
        }
        return flat;
    }

    private void unflatten(float[] flat, float[][] rows) {
        if (flat.length != parameterCount) {
            throw new IllegalArgumentException("network " + Arrays.toString(sizes) + " has " + parameterCount
                    + " parameters, got " + flat.length);
        }
        int offset = 0;
        for (float[] row : rows) {
            System.arraycopy(flat, offset, row, 0, row.length);
            offset += row.length;
        }
    }

    private void ensureCapacity(int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        if (batch <= capacity) {
            return;
        }
        int newCapacity = Math.max(batch, capacity * 2);
        for (int l = 1; l <= layers; l++) {
            activations[l] = new float[newCapacity][sizes[l]];
            deltas[l] = new float[newCapacity][sizes[l]];
        }
        capacity = newCapacity;
    }
}

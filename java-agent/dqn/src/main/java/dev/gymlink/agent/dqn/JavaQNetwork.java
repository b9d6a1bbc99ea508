package dev.gymlink.agent.dqn;

import java.util.Arrays;

/**
 * The plain-Java backend: hand-written forward and backward passes and Adam on float arrays.
 * Nothing is allocated per call once the work buffers have grown to the largest batch seen, which
 * keeps small networks at microseconds per update.
 *
 * <p>Every weight row, activation row and gradient row is its own {@code float[]}, and inner loops
 * combine four rows per pass ({@code out[j] += x0*w0[j] + x1*w1[j] + x2*w2[j] + x3*w3[j]}): the
 * JIT vectorises loops over distinct arrays with a common index far better than over offsets into
 * one flat array (measured 4-5x), and each output element is loaded and stored once per four
 * products. Backprop to a layer's input uses a transposed copy of its weights, refreshed lazily
 * after parameter changes, for the same reason.
 */
public final class JavaQNetwork implements QNetwork {

    private final NetworkSpec spec;
    private final int[] sizes;
    private final int layers;
    private final DqnConfig.Loss loss;

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
    /** {@code transposed[l][j][i] == weights[l][i][j]} for l >= 1. */
    private final float[][][] transposed;
    private boolean transposedStale = true;
    private long adamStep;

    /** {@code activations[l][b]}: output row of layer l-1 (after ReLU for hidden layers) for batch row b. */
    private final float[][][] activations;
    /** {@code deltas[l][b]}: loss gradient with respect to the pre-activation of that row. */
    private final float[][][] deltas;
    private int capacity;

    public JavaQNetwork(NetworkSpec spec, float[] initialParameters) {
        this.spec = spec;
        this.sizes = spec.layerSizes();
        this.layers = spec.layers();
        this.loss = spec.loss();
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

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public void predict(float[] states, int batch, float[] qValues) {
        ensureCapacity(batch);
        forward(states, batch);
        int outputs = sizes[layers];
        float[][] q = activations[layers];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(q[b], 0, qValues, b * outputs, outputs);
        }
    }

    @Override
    public double computeGradients(float[] states, int[] actions, float[] targets, int batch) {
        ensureCapacity(batch);
        forward(states, batch);
        int outputs = sizes[layers];
        float[][] q = activations[layers];
        float[][] outputDelta = deltas[layers];
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
        backward(states, batch);
        return lossSum / batch;
    }

    private void forward(float[] states, int batch) {
        int inputs = sizes[0];
        for (int l = 0; l < layers; l++) {
            float[][] w = weights[l];
            float[] bias = biases[l];
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            boolean hidden = l < layers - 1;
            for (int b = 0; b < batch; b++) {
                float[] out = activations[l + 1][b];
                float[] in = l == 0 ? null : activations[l][b];
                int stateRow = b * inputs;
                System.arraycopy(bias, 0, out, 0, nOut);
                int i = 0;
                for (; i + 3 < nIn; i += 4) {
                    float x0 = l == 0 ? states[stateRow + i] : in[i];
                    float x1 = l == 0 ? states[stateRow + i + 1] : in[i + 1];
                    float x2 = l == 0 ? states[stateRow + i + 2] : in[i + 2];
                    float x3 = l == 0 ? states[stateRow + i + 3] : in[i + 3];
                    float[] w0 = w[i];
                    float[] w1 = w[i + 1];
                    float[] w2 = w[i + 2];
                    float[] w3 = w[i + 3];
                    for (int j = 0; j < nOut; j++) {
                        out[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
                    }
                }
                for (; i < nIn; i++) {
                    float x = l == 0 ? states[stateRow + i] : in[i];
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
    }

    /** Backpropagates {@code deltas[layers]} (set by the caller) into the gradient rows. */
    private void backward(float[] states, int batch) {
        for (float[] row : gradientRows) {
            Arrays.fill(row, 0f);
        }
        refreshTransposed();
        int inputs = sizes[0];
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
                    float x0 = l == 0 ? states[b * inputs + i] : in[b][i];
                    float x1 = l == 0 ? states[(b + 1) * inputs + i] : in[b + 1][i];
                    float x2 = l == 0 ? states[(b + 2) * inputs + i] : in[b + 2][i];
                    float x3 = l == 0 ? states[(b + 3) * inputs + i] : in[b + 3][i];
                    float[] d0 = delta[b];
                    float[] d1 = delta[b + 1];
                    float[] d2 = delta[b + 2];
                    float[] d3 = delta[b + 3];
                    for (int j = 0; j < nOut; j++) {
                        g[j] += x0 * d0[j] + x1 * d1[j] + x2 * d2[j] + x3 * d3[j];
                    }
                }
                for (; b < batch; b++) {
                    float x = l == 0 ? states[b * inputs + i] : in[b][i];
                    float[] d0 = delta[b];
                    for (int j = 0; j < nOut; j++) {
                        g[j] += x * d0[j];
                    }
                }
            }
            if (l == 0) {
                break;
            }
            // dIn[b][i] = sum_j delta[b][j] * w[i][j], along rows of the transposed weights; then ReLU's mask.
            float[][] t = transposed[l];
            float[][] inputDelta = deltas[l];
            for (int b = 0; b < batch; b++) {
                float[] d = delta[b];
                float[] out = inputDelta[b];
                Arrays.fill(out, 0f);
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
                        out[i] += g0 * t0[i] + g1 * t1[i] + g2 * t2[i] + g3 * t3[i];
                    }
                }
                for (; j < nOut; j++) {
                    float g0 = d[j];
                    if (g0 == 0f) {
                        continue;
                    }
                    float[] t0 = t[j];
                    for (int i = 0; i < nIn; i++) {
                        out[i] += g0 * t0[i];
                    }
                }
                float[] activation = in[b];
                for (int i = 0; i < nIn; i++) {
                    if (activation[i] <= 0f) {
                        out[i] = 0f;
                    }
                }
            }
        }
    }

    private void refreshTransposed() {
        if (!transposedStale) {
            return;
        }
        for (int l = 1; l < layers; l++) {
            float[][] w = weights[l];
            float[][] t = transposed[l];
            for (int i = 0; i < sizes[l]; i++) {
                for (int j = 0; j < sizes[l + 1]; j++) {
                    t[j][i] = w[i][j];
                }
            }
        }
        transposedStale = false;
    }

    @Override
    public double applyGradients() {
        double squares = 0;
        for (float[] row : gradientRows) {
            for (float g : row) {
                squares += (double) g * g;
            }
        }
        double norm = Math.sqrt(squares);
        float clip = norm > spec.maxGradNorm() ? (float) (spec.maxGradNorm() / (norm + 1e-6)) : 1f;
        adamStep++;
        float beta1 = (float) NetworkSpec.ADAM_BETA1;
        float beta2 = (float) NetworkSpec.ADAM_BETA2;
        float stepSize = (float) (spec.learningRate() / (1 - Math.pow(NetworkSpec.ADAM_BETA1, adamStep)));
        float secondCorrection = (float) (1 / Math.sqrt(1 - Math.pow(NetworkSpec.ADAM_BETA2, adamStep)));
        float epsilon = (float) spec.adamEpsilon();
        for (int r = 0; r < parameterRows.length; r++) {
            float[] p = parameterRows[r];
            float[] grad = gradientRows[r];
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
        transposedStale = true;
        return norm;
    }

    @Override
    public float[] parameters() {
        return flatten(parameterRows);
    }

    @Override
    public void setParameters(float[] parameters) {
        unflatten(parameters, parameterRows);
        transposedStale = true;
    }

    @Override
    public float[] gradients() {
        return flatten(gradientRows);
    }

    @Override
    public void copyParametersFrom(QNetwork source) {
        if (source instanceof JavaQNetwork java && java.parameterRows.length == parameterRows.length) {
            for (int r = 0; r < parameterRows.length; r++) {
                System.arraycopy(java.parameterRows[r], 0, parameterRows[r], 0, parameterRows[r].length);
            }
            transposedStale = true;
        } else {
            setParameters(source.parameters());
        }
    }

    @Override
    public void blendParametersFrom(QNetwork source, double tau) {
        float t = (float) tau;
        if (source instanceof JavaQNetwork java && java.parameterRows.length == parameterRows.length) {
            for (int r = 0; r < parameterRows.length; r++) {
                float[] mine = parameterRows[r];
                float[] from = java.parameterRows[r];
                for (int k = 0; k < mine.length; k++) {
                    mine[k] = t * from[k] + (1 - t) * mine[k];
                }
            }
            transposedStale = true;
            return;
        }
        float[] from = source.parameters();
        float[] mine = parameters();
        if (from.length != mine.length) {
            throw new IllegalArgumentException("cannot blend " + from.length + " parameters into " + mine.length);
        }
        for (int p = 0; p < mine.length; p++) {
            mine[p] = t * from[p] + (1 - t) * mine[p];
        }
        setParameters(mine);
    }

    @Override
    public AdamState optimizerState() {
        return new AdamState(adamStep, flatten(firstMoments), flatten(secondMoments));
    }

    @Override
    public void setOptimizerState(AdamState state) {
        unflatten(state.firstMoment(), firstMoments);
        unflatten(state.secondMoment(), secondMoments);
        adamStep = state.step();
    }

    private float[] flatten(float[][] rows) {
        float[] flat = new float[spec.parameterCount()];
        int offset = 0;
        for (float[] row : rows) {
            System.arraycopy(row, 0, flat, offset, row.length);
            offset += row.length;
        }
        return flat;
    }

    private void unflatten(float[] flat, float[][] rows) {
        if (flat.length != spec.parameterCount()) {
            throw new IllegalArgumentException("network " + Arrays.toString(sizes) + " has " + spec.parameterCount()
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

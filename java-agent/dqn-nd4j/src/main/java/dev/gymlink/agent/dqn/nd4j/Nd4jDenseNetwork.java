package dev.gymlink.agent.dqn.nd4j;

import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.TrainableNetwork;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * {@link DenseNetwork}'s network, backprop and Adam as ND4J ops: one BLAS gemm per layer and pass,
 * so that wide layers run at BLAS speed. Each native op costs microseconds whatever its size, so
 * this pays off only for wide layers and large batches (see the crossovers measured by its users).
 *
 * <p>Parameters, gradients and Adam's moments each live in one flat ND4J vector in the
 * {@link TrainableNetwork} layout, with each layer's weight and bias matrices as views into it, so
 * the optimizer and target blends run as a handful of whole-vector ops. Activations and deltas of a
 * batch size live in buffers kept per batch size (SAC alternates between acting on a few rows and
 * learning on a batch). Outputs, output gradients and hidden features cross to Java arrays, since
 * the losses around the network are computed in Java.
 */
public final class Nd4jDenseNetwork implements TrainableNetwork {

    static {
        useOneThreadUnlessTold();
    }

    /**
     * One OpenMP and one BLAS thread, like the single-threaded Java backend, unless
     * {@code OMP_NUM_THREADS} says otherwise. ND4J's default of a thread per core made a SAC
     * gradient step with 256-256 nets take 654 ms instead of 18 ms on a loaded 2-core machine: its
     * threads spin waiting for cores that other work holds (Stable-Baselines3's torch on two
     * threads fell the same way).
     */
    private static void useOneThreadUnlessTold() {
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Nd4j.factory().blas().setMaxThreads(1);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        }
    }

    /** Batch sizes whose buffers are kept; more distinct sizes than this drop them all. */
    private static final int KEPT_BATCH_SIZES = 8;

    private final int[] sizes;
    private final int layers;
    private final int parameterCount;
    private final DenseNetwork.Optimizer optimizer;
    private final INDArray params;
    private final INDArray grads;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    /** The last Adam step's change of the parameters. */
    private final INDArray update;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private long adamStep;

    private final Map<Integer, BatchBuffers> buffersByBatch = new HashMap<>();
    /** Buffers of the last forward pass; null before the first. */
    private BatchBuffers last;
    private float[][] outputs = new float[0][];
    private float[][] outputGradients = new float[0][];
    private float[][] hiddenFeatures = new float[0][];
    private boolean hiddenFeaturesCopied;

    public Nd4jDenseNetwork(int[] sizes, DenseNetwork.Optimizer optimizer, float[] initialParameters) {
        this.sizes = DenseNetwork.checkedSizes(sizes);
        this.layers = sizes.length - 1;
        this.parameterCount = DenseNetwork.parameterCount(sizes);
        this.optimizer = optimizer;
        this.params = Nd4j.create(DataType.FLOAT, parameterCount);
        this.grads = Nd4j.create(DataType.FLOAT, parameterCount);
        this.firstMoment = Nd4j.create(DataType.FLOAT, parameterCount);
        this.secondMoment = Nd4j.create(DataType.FLOAT, parameterCount);
        this.update = Nd4j.create(DataType.FLOAT, parameterCount);
        this.weights = new INDArray[layers];
        this.biases = new INDArray[layers];
        this.weightGrads = new INDArray[layers];
        this.biasGrads = new INDArray[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            weights[l] = view(params, offset, nIn, nOut);
            weightGrads[l] = view(grads, offset, nIn, nOut);
            offset += nIn * nOut;
            biases[l] = view(params, offset, 1, nOut);
            biasGrads[l] = view(grads, offset, 1, nOut);
            offset += nOut;
        }
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
    public int[] sizes() {
        return sizes.clone();
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public float[][] forward(float[] inputs, int batch) {
        BatchBuffers buffers = buffers(batch);
        buffers.input.data().asNioFloat().put(inputs, 0, batch * sizes[0]);
        INDArray x = buffers.input;
        for (int l = 0; l < layers; l++) {
            INDArray z = buffers.activations[l + 1];
            gemm(x, weights[l], z, false, false);
            z.addiRowVector(biases[l]);
            if (l < layers - 1) {
                Transforms.relu(z, false);
            }
            x = z;
        }
        last = buffers;
        hiddenFeaturesCopied = false;
        outputs = copyRows(x, batch, outputs);
        return outputs;
    }

    @Override
    public float[][] lastHiddenActivations() {
        if (layers < 2) {
            throw new IllegalStateException("a network without hidden layers has no hidden activations");
        }
        BatchBuffers buffers = requireForward();
        if (!hiddenFeaturesCopied) {
            hiddenFeatures = copyRows(buffers.activations[layers - 1], buffers.batch, hiddenFeatures);
            hiddenFeaturesCopied = true;
        }
        return hiddenFeatures;
    }

    @Override
    public float[][] outputGradients() {
        int rows = Math.max(1, last == null ? 1 : last.batch);
        if (outputGradients.length < rows) {
            outputGradients = new float[Math.max(rows, outputGradients.length * 2)][sizes[layers]];
        }
        return outputGradients;
    }

    @Override
    public void backward(float[] inputs, int batch, float[] inputGradients) {
        BatchBuffers buffers = requireForward();
        if (batch != buffers.batch) {
            throw new IllegalArgumentException("backward on " + batch + " rows after a forward pass on "
                    + buffers.batch);
        }
        INDArray delta = buffers.deltas[layers];
        FloatBuffer deltaData = delta.data().asNioFloat();
        float[][] written = outputGradients();
        for (int b = 0; b < batch; b++) {
            deltaData.put(written[b], 0, sizes[layers]);
        }
        for (int l = layers - 1; l >= 0; l--) {
            INDArray in = l == 0 ? buffers.input : buffers.activations[l];
            gemm(in, delta, weightGrads[l], true, false);
            gemm(buffers.ones, delta, biasGrads[l], false, false);
            if (l > 0) {
                INDArray inputDelta = buffers.deltas[l];
                gemm(delta, weights[l], inputDelta, false, true);
                // ReLU's mask: the post-ReLU activation is positive exactly where the pre-activation was.
                // (Step and a product cost a sixth of ND4J's ThresholdReluBp at 256 x 256.)
                Nd4j.getExecutioner().exec(new Step(buffers.activations[l], buffers.mask[l]));
                inputDelta.muli(buffers.mask[l]);
                delta = inputDelta;
            } else if (inputGradients != null) {
                INDArray inputGradient = buffers.inputGradient();
                gemm(delta, weights[0], inputGradient, false, true);
                inputGradient.data().asNioFloat().get(inputGradients, 0, batch * sizes[0]);
            }
        }
    }

    /**
     * One PyTorch Adam step as ND4J's fused Adam op, which scales the step by
     * {@code lr * sqrt(1 - beta2^t) / (1 - beta1^t)} and adds its epsilon to {@code sqrt(v)}
     * unscaled; PyTorch adds epsilon to {@code sqrt(v) / sqrt(1 - beta2^t)}, so passing
     * {@code epsilon * sqrt(1 - beta2^t)} makes the two the same update.
     */
    @Override
    public double applyGradients() {
        double norm = grads.norm2Number().doubleValue();
        INDArray gradient = norm > optimizer.maxGradNorm()
                ? grads.mul((float) (optimizer.maxGradNorm() / (norm + 1e-6)))
                : grads;
        adamStep++;
        double epsilon = optimizer.adamEpsilon() * Math.sqrt(1 - Math.pow(DenseNetwork.ADAM_BETA2, adamStep));
        Nd4j.exec(new AdamUpdater(gradient, secondMoment, firstMoment, update, secondMoment, firstMoment,
                optimizer.learningRate(), DenseNetwork.ADAM_BETA1, DenseNetwork.ADAM_BETA2, epsilon,
                Math.toIntExact(adamStep - 1)));
        params.subi(update);
        return norm;
    }

    @Override
    public float[] parameters() {
        return params.toFloatVector();
    }

    @Override
    public void setParameters(float[] parameters) {
        assign(params, parameters);
    }

    @Override
    public float[] gradients() {
        return grads.toFloatVector();
    }

    @Override
    public void copyParametersFrom(TrainableNetwork source) {
        if (source instanceof Nd4jDenseNetwork nd4j) {
            requireSameShape(nd4j);
            params.assign(nd4j.params);
        } else {
            requireSameShape(source);
            setParameters(source.parameters());
        }
    }

    @Override
    public void blendParametersFrom(TrainableNetwork source, double tau) {
        requireSameShape(source);
        blend(source instanceof Nd4jDenseNetwork nd4j ? nd4j.params : flat(source.parameters()), tau);
    }

    private void blend(INDArray from, double tau) {
        float t = (float) tau;
        params.muli(1 - t).addi(from.mul(t));
    }

    @Override
    public void close() {
        for (INDArray array : new INDArray[] {params, grads, firstMoment, secondMoment, update}) {
            array.close();
        }
        buffersByBatch.clear();
        last = null;
    }

    @Override
    public long adamStep() {
        return adamStep;
    }

    @Override
    public float[] firstMoments() {
        return firstMoment.toFloatVector();
    }

    @Override
    public float[] secondMoments() {
        return secondMoment.toFloatVector();
    }

    @Override
    public void setAdamState(long step, float[] firstMoments, float[] secondMoments) {
        if (step < 0) {
            throw new IllegalArgumentException("Adam step must be >= 0, got " + step);
        }
        checkLength(firstMoments.length);
        checkLength(secondMoments.length);
        assign(firstMoment, firstMoments);
        assign(secondMoment, secondMoments);
        adamStep = step;
    }

    private void assign(INDArray target, float[] values) {
        checkLength(values.length);
        target.assign(flat(values));
    }

    private static INDArray flat(float[] values) {
        return Nd4j.create(values, new long[] {values.length}, DataType.FLOAT);
    }

    private void checkLength(int length) {
        if (length != parameterCount) {
            throw new IllegalArgumentException("network " + Arrays.toString(sizes) + " has " + parameterCount
                    + " parameters, got " + length);
        }
    }

    private void requireSameShape(TrainableNetwork source) {
        if (!Arrays.equals(sizes, source.sizes())) {
            throw new IllegalArgumentException("network " + Arrays.toString(source.sizes()) + " does not fit "
                    + Arrays.toString(sizes));
        }
    }

    private BatchBuffers requireForward() {
        if (last == null) {
            throw new IllegalStateException("no forward pass yet");
        }
        return last;
    }

    private BatchBuffers buffers(int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        BatchBuffers buffers = buffersByBatch.get(batch);
        if (buffers == null) {
            if (buffersByBatch.size() >= KEPT_BATCH_SIZES) {
                buffersByBatch.clear();
            }
            buffers = new BatchBuffers(batch);
            buffersByBatch.put(batch, buffers);
        }
        return buffers;
    }

    /**
     * {@code c = op(a) * op(b)} straight through BLAS: {@code Nd4j.gemm} goes through ND4J's custom-op
     * machinery, which costs about twice as much per call for 64-wide layers (measured 77 vs 39 us).
     */
    private static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        Nd4j.getBlasWrapper().level3().gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
    }

    /** The first {@code batch} rows of a {@code [batch x width]} array into Java rows, grown as needed. */
    private static float[][] copyRows(INDArray source, int batch, float[][] rows) {
        int width = (int) source.columns();
        float[][] target = rows.length >= batch ? rows : new float[Math.max(batch, rows.length * 2)][width];
        FloatBuffer data = source.data().asNioFloat();
        for (int b = 0; b < batch; b++) {
            data.get(target[b], 0, width);
        }
        return target;
    }

    /** Activations and deltas of one batch size, {@code [batch x width]} each. */
    private final class BatchBuffers {
        final int batch;
        final INDArray input;
        /** Index l: output of layer l-1 (after ReLU for hidden layers); index 0 is {@link #input}. */
        final INDArray[] activations;
        /** Index l: loss gradient with respect to layer l-1's pre-activation. */
        final INDArray[] deltas;
        /** Index l: 1 where layer l-1's output is positive, else 0 (hidden layers only). */
        final INDArray[] mask;
        final INDArray ones;
        private INDArray inputGradient;

        BatchBuffers(int batch) {
            this.batch = batch;
            this.input = Nd4j.create(DataType.FLOAT, batch, sizes[0]);
            this.activations = new INDArray[layers + 1];
            this.deltas = new INDArray[layers + 1];
            this.mask = new INDArray[layers];
            activations[0] = input;
            for (int l = 1; l <= layers; l++) {
                activations[l] = Nd4j.create(DataType.FLOAT, batch, sizes[l]);
                deltas[l] = Nd4j.create(DataType.FLOAT, batch, sizes[l]);
                if (l < layers) {
                    mask[l] = Nd4j.create(DataType.FLOAT, batch, sizes[l]);
                }
            }
            this.ones = Nd4j.ones(DataType.FLOAT, 1, batch);
        }

        INDArray inputGradient() {
            if (inputGradient == null) {
                inputGradient = Nd4j.create(DataType.FLOAT, batch, sizes[0]);
            }
            return inputGradient;
        }
    }
}

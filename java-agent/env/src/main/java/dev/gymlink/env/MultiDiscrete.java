package dev.gymlink.env;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.MultiDiscrete: int64 tensors whose element {@code i} lies in
 * {@code [start[i], start[i] + nvec[i])}.
 *
 * @param shape shape of one element
 * @param nvec number of values of each component, row-major
 * @param start smallest value of each component, row-major
 */
public record MultiDiscrete(int[] shape, long[] nvec, long[] start) implements Space {

    public MultiDiscrete {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(nvec, "nvec");
        Objects.requireNonNull(start, "start");
        int size = Tensor.sizeOf(shape);
        if (nvec.length != size || start.length != size) {
            throw new IllegalArgumentException("MultiDiscrete of shape " + PythonRepr.shapeString(shape)
                    + " needs " + size + " nvec and start entries");
        }
        for (long n : nvec) {
            if (n <= 0) {
                throw new IllegalArgumentException("MultiDiscrete nvec entries must be positive, got " + n);
            }
        }
    }

    /** A 1-d MultiDiscrete starting at 0, like {@code MultiDiscrete([3, 2])}. */
    public static MultiDiscrete of(long... nvec) {
        return new MultiDiscrete(new int[] {nvec.length}, nvec.clone(), new long[nvec.length]);
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Tensor t) || !Arrays.equals(t.shape(), shape) || !t.dtype().isIntegral()) {
            return false;
        }
        for (int i = 0; i < nvec.length; i++) {
            double x = t.data()[i];
            if (x != Math.rint(x) || x < start[i] || x >= start[i] + nvec[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Tensor sample(RandomGenerator rng) {
        double[] data = new double[nvec.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = start[i] + rng.nextLong(nvec[i]);
        }
        return new Tensor(DType.INT64, shape.clone(), data);
    }

    @Override
    public int flatDim() {
        long total = Arrays.stream(nvec).sum();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException(this + " is too large for a one-hot encoding");
        }
        return (int) total;
    }

    /** One-hot per component, concatenated (Gymnasium's flatten of MultiDiscrete). */
    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        if (!contains(value)) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " is not in " + this);
        }
        Tensor t = (Tensor) value;
        int position = offset;
        for (int i = 0; i < nvec.length; i++) {
            Arrays.fill(out, position, position + (int) nvec[i], 0f);
            out[position + (int) (t.data()[i] - start[i])] = 1f;
            position += (int) nvec[i];
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MultiDiscrete m
                && Arrays.equals(shape, m.shape)
                && Arrays.equals(nvec, m.nvec)
                && Arrays.equals(start, m.start);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(shape), Arrays.hashCode(nvec), Arrays.hashCode(start));
    }

    @Override
    public String toString() {
        String n = NumpyFormat.array(toDoubles(nvec), shape, DType.INT64);
        boolean zeroStart = Arrays.stream(start).allMatch(s -> s == 0);
        return zeroStart ? "MultiDiscrete(" + n + ")"
                : "MultiDiscrete(" + n + ", start=" + NumpyFormat.array(toDoubles(start), shape, DType.INT64) + ")";
    }

    private static double[] toDoubles(long[] values) {
        return Arrays.stream(values).asDoubleStream().toArray();
    }
}

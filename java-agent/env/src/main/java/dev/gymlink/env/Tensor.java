package dev.gymlink.env;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense array: the Java form of a numpy array (Box, MultiDiscrete and MultiBinary elements).
 *
 * <p>Elements are held as doubles in row-major order, which represents every float32, float64 and
 * integer value exactly up to 2^53; {@link DType} says what they stand for. Instances are
 * treated as immutable: the arrays are not copied, so callers must not change them after
 * construction.
 *
 * @param dtype element type
 * @param shape dimensions, outermost first; empty for a scalar
 * @param data elements in row-major order, {@code product(shape)} of them
 */
public record Tensor(DType dtype, int[] shape, double[] data) {

    public Tensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        int size = sizeOf(shape);
        if (data.length != size) {
            throw new IllegalArgumentException(
                    "tensor of shape " + Arrays.toString(shape) + " needs " + size + " elements, got " + data.length);
        }
    }

    /** A float32 vector, e.g. a CartPole observation. */
    public static Tensor float32(float... values) {
        double[] data = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = values[i];
        }
        return new Tensor(DType.FLOAT32, new int[] {values.length}, data);
    }

    /** A 1-d tensor of the given dtype; values are narrowed to it (float32 rounding). */
    public static Tensor vector(DType dtype, double... values) {
        double[] data = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = dtype.narrow(values[i]);
        }
        return new Tensor(dtype, new int[] {values.length}, data);
    }

    /** Number of elements of a tensor with this shape. */
    public static int sizeOf(int[] shape) {
        long size = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= dim;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) size;
    }

    public int size() {
        return data.length;
    }

    public double get(int flatIndex) {
        return data[flatIndex];
    }

    /** The elements as floats (a copy), e.g. to feed a network. */
    public float[] toFloatArray() {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (float) data[i];
        }
        return out;
    }

    /**
     * The elements of a Box observation as floats (a copy), for the typed accessors of the results.
     *
     * @throws IllegalStateException when the value is absent or not a tensor, naming what it is
     */
    static float[] floatsOf(Object element, String role) {
        if (element instanceof Tensor tensor) {
            return tensor.toFloatArray();
        }
        if (element == null) {
            throw new IllegalStateException(role + " is absent");
        }
        throw new IllegalStateException(role + " is " + PythonRepr.describeValue(element)
                + ", not a tensor: float accessors are for Box observations; read observation() as the "
                + "space's element type (see Space)");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor t
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String values = data.length <= 16
                ? Arrays.toString(data)
                : Arrays.toString(Arrays.copyOf(data, 16)).replace("]", ", ...]");
        return "Tensor(" + dtype.numpyName() + ", " + PythonRepr.shapeString(shape) + ", " + values + ")";
    }
}

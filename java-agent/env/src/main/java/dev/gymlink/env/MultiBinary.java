package dev.gymlink.env;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.MultiBinary: int8 tensors of 0s and 1s.
 *
 * @param shape shape of one element
 */
public record MultiBinary(int[] shape) implements Space {

    public MultiBinary {
        Objects.requireNonNull(shape, "shape");
        Tensor.sizeOf(shape);
    }

    public static MultiBinary of(int n) {
        return new MultiBinary(new int[] {n});
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Tensor t) || !Arrays.equals(t.shape(), shape) || !t.dtype().isIntegral()) {
            return false;
        }
        for (double x : t.data()) {
            if (x != 0 && x != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Tensor sample(RandomGenerator rng) {
        double[] data = new double[Tensor.sizeOf(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextBoolean() ? 1 : 0;
        }
        return new Tensor(DType.INT8, shape.clone(), data);
    }

    @Override
    public int flatDim() {
        return Tensor.sizeOf(shape);
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        if (!contains(value)) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " is not in " + this);
        }
        double[] data = ((Tensor) value).data();
        for (int i = 0; i < data.length; i++) {
            out[offset + i] = (float) data[i];
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MultiBinary m && Arrays.equals(shape, m.shape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "MultiBinary(" + (shape.length == 1 ? Integer.toString(shape[0]) : PythonRepr.shapeString(shape)) + ")";
    }
}

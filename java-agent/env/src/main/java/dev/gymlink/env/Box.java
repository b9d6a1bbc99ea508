package dev.gymlink.env;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.Box: tensors of a fixed shape and dtype, each element within
 * {@code [low[i], high[i]]} (bounds may be infinite).
 *
 * @param shape shape of one element
 * @param dtype element type
 * @param low lower bounds, one per element (row-major)
 * @param high upper bounds, one per element (row-major)
 */
public record Box(int[] shape, DType dtype, double[] low, double[] high) implements Space {

    public Box {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(high, "high");
        int size = Tensor.sizeOf(shape);
        if (low.length != size || high.length != size) {
            throw new IllegalArgumentException("Box of shape " + PythonRepr.shapeString(shape) + " needs " + size
                    + " bounds each, got low " + low.length + " and high " + high.length);
        }
        for (int i = 0; i < size; i++) {
            if (Double.isNaN(low[i]) || Double.isNaN(high[i]) || low[i] > high[i]) {
                throw new IllegalArgumentException(
                        "Box bound " + i + " is invalid: low " + low[i] + ", high " + high[i]);
            }
        }
    }

    /** A Box with the same bounds for every element. */
    public static Box uniform(double low, double high, int[] shape, DType dtype) {
        int size = Tensor.sizeOf(shape);
        double[] lows = new double[size];
        double[] highs = new double[size];
        Arrays.fill(lows, low);
        Arrays.fill(highs, high);
        return new Box(shape, dtype, lows, highs);
    }

    public int size() {
        return low.length;
    }

    public boolean isBounded(int i) {
        return !Double.isInfinite(low[i]) && !Double.isInfinite(high[i]);
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Tensor t) || !Arrays.equals(t.shape(), shape) || !canHold(t.dtype())) {
            return false;
        }
        double[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            double x = data[i];
            if (Double.isNaN(x) || x < low[i] || x > high[i]) {
                return false;
            }
            if (dtype.isIntegral() && x != Math.rint(x)) {
                return false;
            }
        }
        return true;
    }

    /** Like numpy's can_cast(value dtype, box dtype): integer values fit float boxes, not the reverse. */
    private boolean canHold(DType valueType) {
        if (valueType == dtype) {
            return true;
        }
        if (dtype == DType.FLOAT64) {
            return true;
        }
        if (dtype == DType.FLOAT32) {
            return valueType != DType.FLOAT64 && valueType != DType.INT64 && valueType != DType.UINT64
                    && valueType != DType.INT32 && valueType != DType.UINT32;
        }
        return valueType.isIntegral() && valueType.itemSize() <= dtype.itemSize();
    }

    @Override
    public Tensor sample(RandomGenerator rng) {
        double[] data = new double[size()];
        for (int i = 0; i < data.length; i++) {
            boolean lowFinite = !Double.isInfinite(low[i]);
            boolean highFinite = !Double.isInfinite(high[i]);
            double x;
            if (dtype.isIntegral()) {
                double lo = lowFinite ? low[i] : dtype.minValue();
                double hi = highFinite ? high[i] : dtype.maxValue();
                x = Math.floor(lo + rng.nextDouble() * (hi - lo + 1));
                x = Math.min(x, hi);
            } else if (lowFinite && highFinite) {
                x = low[i] + rng.nextDouble() * (high[i] - low[i]);
            } else if (lowFinite) {
                x = low[i] - Math.log(1 - rng.nextDouble());
            } else if (highFinite) {
                x = high[i] + Math.log(1 - rng.nextDouble());
            } else {
                x = rng.nextGaussian();
            }
            data[i] = Math.max(low[i], Math.min(high[i], dtype.narrow(x)));
        }
        return new Tensor(dtype, shape.clone(), data);
    }

    @Override
    public int flatDim() {
        return size();
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        if (!(value instanceof Tensor t) || t.size() != size()) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " cannot be flattened as " + this);
        }
        double[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            out[offset + i] = (float) data[i];
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Box b
                && dtype == b.dtype
                && Arrays.equals(shape, b.shape)
                && Arrays.equals(low, b.low)
                && Arrays.equals(high, b.high);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(low), Arrays.hashCode(high));
    }

    @Override
    public String toString() {
        return "Box(" + bound(low) + ", " + bound(high) + ", " + PythonRepr.shapeString(shape) + ", "
                + dtype.numpyName() + ")";
    }

    /** Gymnasium's {@code _short_repr}: one number when all bounds are equal, else the numpy array. */
    private String bound(double[] values) {
        boolean same = Arrays.stream(values).allMatch(v -> Double.compare(v, values[0]) == 0);
        if (values.length > 0 && same) {
            return NumpyFormat.scalar(values[0], dtype);
        }
        return NumpyFormat.array(values, shape, dtype);
    }
}

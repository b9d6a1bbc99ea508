package dev.gymlink.env;

import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.Discrete: the integers {@code start, ..., start + n - 1}.
 *
 * @param n number of elements, positive
 * @param start smallest element
 */
public record Discrete(long n, long start) implements Space {

    public Discrete {
        if (n <= 0) {
            throw new IllegalArgumentException("Discrete needs n > 0, got " + n);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Discrete n " + n + " is too large for a one-hot encoding");
        }
    }

    public Discrete(long n) {
        this(n, 0);
    }

    @Override
    public boolean contains(Object value) {
        if (!PythonRepr.isIntegralNumber(value)) {
            return false;
        }
        long x = ((Number) value).longValue();
        return x >= start && x < start + n;
    }

    @Override
    public Long sample(RandomGenerator rng) {
        return start + rng.nextLong(n);
    }

    /** Index of an element, 0-based (value minus start). */
    public int indexOf(Object value) {
        if (!contains(value)) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " is not in " + this);
        }
        return (int) (((Number) value).longValue() - start);
    }

    @Override
    public int flatDim() {
        return (int) n;
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        int index = indexOf(value);
        for (int i = 0; i < n; i++) {
            out[offset + i] = 0f;
        }
        out[offset + index] = 1f;
    }

    @Override
    public String toString() {
        return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
    }
}

package dev.gymlink.env;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.Text: strings of {@code minLength..maxLength} characters from {@code charset}.
 * Text has no fixed-size vector encoding, so a DQN cannot observe it.
 *
 * <p>The charset keeps Gymnasium's order ({@code Text.character_list}: the order given, or sorted
 * when a set was given), because sampling picks characters by their index: with a
 * {@link dev.gymlink.env.random.NumpyRandom} seeded {@code s}, {@link #sample} draws exactly what
 * Gymnasium's {@code Text(..., seed=s).sample()} draws, call after call.
 *
 * @param minLength fewest characters
 * @param maxLength most characters
 * @param charset every allowed character, each once, in Gymnasium's order
 */
public record Text(int minLength, int maxLength, String charset) implements Space {

    public Text {
        Objects.requireNonNull(charset, "charset");
        if (minLength < 0 || maxLength < minLength) {
            throw new IllegalArgumentException("Text lengths must satisfy 0 <= min <= max, got min "
                    + minLength + ", max " + maxLength);
        }
        if (charset.isEmpty()) {
            throw new IllegalArgumentException("Text charset must not be empty");
        }
        for (int i = 0; i < charset.length(); i++) {
            if (charset.indexOf(charset.charAt(i)) != i) {
                throw new IllegalArgumentException("Text charset '" + charset + "' repeats '" + charset.charAt(i)
                        + "'; each character is listed once");
            }
        }
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof String s) || s.length() < minLength || s.length() > maxLength) {
            return false;
        }
        return s.chars().allMatch(c -> charset.indexOf(c) >= 0);
    }

    /**
     * Gymnasium's draw: {@code length = integers(min, max + 1)}, then
     * {@code choice(character_list, length, p=uniform)}, which takes one {@code random()} per character
     * and finds it in the cumulative probabilities (numpy's cumsum of {@code 1/n}, so the buckets
     * are as numpy rounds them, not exact multiples of {@code 1/n}).
     */
    @Override
    public String sample(RandomGenerator rng) {
        int length = minLength + rng.nextInt(maxLength - minLength + 1);
        double[] cumulative = uniformCumulative(charset.length());
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(charset.charAt(firstAbove(cumulative, rng.nextDouble())));
        }
        return text.toString();
    }

    /** numpy's {@code cdf = (ones(n) / n).cumsum(); cdf /= cdf[-1]}. */
    private static double[] uniformCumulative(int n) {
        double share = 1.0 / n;
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += share;
            cumulative[i] = sum;
        }
        double last = cumulative[n - 1];
        for (int i = 0; i < n; i++) {
            cumulative[i] /= last;
        }
        return cumulative;
    }

    /** numpy's {@code searchsorted(cumulative, u, side='right')}: the first index whose value exceeds u. */
    private static int firstAbove(double[] cumulative, double u) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] > u) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    @Override
    public int flatDim() {
        throw Unflattenable.refusal(this, "");
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        throw Unflattenable.refusal(this, "");
    }

    /** Gymnasium's repr, which lists the characters sorted whatever their order. */
    @Override
    public String toString() {
        char[] sorted = charset.toCharArray();
        Arrays.sort(sorted);
        return "Text(" + minLength + ", " + maxLength + ", charset=" + new String(sorted) + ")";
    }
}

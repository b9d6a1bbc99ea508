package dev.gymlink.env;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.Text: strings of {@code minLength..maxLength} characters from {@code charset}.
 * Text has no fixed-size vector encoding, so a DQN cannot observe it.
 *
 * @param minLength fewest characters
 * @param maxLength most characters
 * @param charset every allowed character
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
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof String s) || s.length() < minLength || s.length() > maxLength) {
            return false;
        }
        return s.chars().allMatch(c -> charset.indexOf(c) >= 0);
    }

    @Override
    public String sample(RandomGenerator rng) {
        int length = minLength + rng.nextInt(maxLength - minLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(charset.charAt(rng.nextInt(charset.length())));
        }
        return text.toString();
    }

    @Override
    public int flatDim() {
        throw new UnsupportedOperationException(this + " has no fixed-size vector encoding");
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        throw new UnsupportedOperationException(this + " has no fixed-size vector encoding");
    }

    @Override
    public String toString() {
        return "Text(" + minLength + ", " + maxLength + ", charset=" + charset + ")";
    }
}

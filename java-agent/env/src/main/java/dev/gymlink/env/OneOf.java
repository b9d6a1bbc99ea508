package dev.gymlink.env;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * gymnasium.spaces.OneOf: an element of exactly one of {@code spaces}; elements are
 * {@link Choice}s, Gymnasium's {@code (index, value)} pairs.
 *
 * @param spaces the alternatives, in order (at least one)
 */
public record OneOf(List<Space> spaces) implements Space {

    /**
     * An element of a OneOf space.
     *
     * @param index which space, an index into {@link OneOf#spaces()}
     * @param value an element of that space
     */
    public record Choice(int index, Object value) {

        public Choice {
            Objects.requireNonNull(value, "value");
        }

        /** Python's repr of the pair. */
        @Override
        public String toString() {
            return "(" + index + ", " + PythonRepr.describeValue(value) + ")";
        }
    }

    public OneOf {
        spaces = List.copyOf(spaces);
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("OneOf needs at least one space");
        }
    }

    public static OneOf of(Space... spaces) {
        return new OneOf(List.of(spaces));
    }

    @Override
    public boolean contains(Object value) {
        return value instanceof Choice choice
                && choice.index() >= 0
                && choice.index() < spaces.size()
                && spaces.get(choice.index()).contains(choice.value());
    }

    /** A uniformly chosen space (Gymnasium's {@code integers(0, len(spaces))}), then an element of it. */
    @Override
    public Choice sample(RandomGenerator rng) {
        int index = rng.nextInt(spaces.size());
        return new Choice(index, spaces.get(index).sample(rng));
    }

    /** Gymnasium's: the index, then the widest alternative's encoding. */
    @Override
    public int flatDim() {
        return 1 + spaces.stream().mapToInt(Space::flatDim).max().orElseThrow();
    }

    /**
     * Gymnasium's {@code flatten(OneOf)}: the index, the chosen space's encoding, and padding up to
     * {@link #flatDim} that repeats the encoding's first value (zero when the encoding is empty).
     */
    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        if (!(value instanceof Choice choice) || choice.index() < 0 || choice.index() >= spaces.size()) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " cannot be flattened as " + this);
        }
        Space chosen = spaces.get(choice.index());
        out[offset] = choice.index();
        chosen.flattenInto(choice.value(), out, offset + 1);
        int written = chosen.flatDim();
        float padding = written > 0 ? out[offset + 1] : 0f;
        Arrays.fill(out, offset + 1 + written, offset + flatDim(), padding);
    }

    @Override
    public String toString() {
        return spaces.stream().map(Space::toString).collect(Collectors.joining(", ", "OneOf(", ")"));
    }
}

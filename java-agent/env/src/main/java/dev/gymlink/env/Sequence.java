package dev.gymlink.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * gymnasium.spaces.Sequence: tuples of any length whose items are elements of
 * {@code featureSpace}; elements are lists.
 *
 * <p>Elements are lists of items even when {@code stack} is set: Gymnasium's stacked form (the
 * items batched into one array) is the server's business, which stacks and unstacks them. A sequence
 * has no fixed-size vector encoding (Gymnasium's {@code flatdim} refuses it too), so
 * {@link #flatDim} and {@link #flattenInto} throw.
 *
 * @param featureSpace space of every item
 * @param stack Gymnasium's {@code stack} flag: whether the env sees its items stacked
 */
public record Sequence(Space featureSpace, boolean stack) implements Space {

    /** Gymnasium draws a sample's length from a geometric distribution with this success probability. */
    public static final double SAMPLE_LENGTH_P = 0.25;

    public Sequence {
        Objects.requireNonNull(featureSpace, "featureSpace");
    }

    public Sequence(Space featureSpace) {
        this(featureSpace, false);
    }

    @Override
    public boolean contains(Object value) {
        return value instanceof List<?> items && items.stream().allMatch(featureSpace::contains);
    }

    /** A geometric(0.25) number of items (at least one; mean 4), each drawn from the feature space. */
    @Override
    public List<Object> sample(RandomGenerator rng) {
        double length = Math.ceil(Math.log1p(-rng.nextDouble()) / Math.log1p(-SAMPLE_LENGTH_P));
        List<Object> items = new ArrayList<>();
        for (long i = 0; i < Math.max(1, length); i++) {
            items.add(featureSpace.sample(rng));
        }
        return List.copyOf(items);
    }

    @Override
    public int flatDim() {
        throw Unflattenable.refusal(this, "its length varies from element to element");
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        throw Unflattenable.refusal(this, "its length varies from element to element");
    }

    @Override
    public String toString() {
        return "Sequence(" + featureSpace + ", stack=" + (stack ? "True" : "False") + ")";
    }
}

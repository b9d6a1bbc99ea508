package dev.gymlink.env;

import java.util.random.RandomGenerator;

/**
 * A Gymnasium space: the set that observations or actions belong to.
 *
 * <p>Elements are plain Java values, one form per kind:
 * <table>
 *   <caption>Element representation</caption>
 *   <tr><th>space</th><th>element</th></tr>
 *   <tr><td>{@link Box}</td><td>{@link Tensor} of the box's dtype and shape</td></tr>
 *   <tr><td>{@link Discrete}</td><td>{@link Long} (an {@link Integer} is accepted too)</td></tr>
 *   <tr><td>{@link MultiDiscrete}</td><td>{@link Tensor} int64</td></tr>
 *   <tr><td>{@link MultiBinary}</td><td>{@link Tensor} int8 of 0/1</td></tr>
 *   <tr><td>{@link Tuple}</td><td>{@link java.util.List} of component elements</td></tr>
 *   <tr><td>{@link Dict}</td><td>{@link java.util.Map} from key to element, in the space's key order</td></tr>
 *   <tr><td>{@link Text}</td><td>{@link String}</td></tr>
 *   <tr><td>{@link Graph}</td><td>{@link GraphInstance}</td></tr>
 *   <tr><td>{@link Sequence}</td><td>{@link java.util.List} of items, stacked or not</td></tr>
 *   <tr><td>{@link OneOf}</td><td>{@link OneOf.Choice}: index and element of that space</td></tr>
 * </table>
 *
 * <p>{@code toString()} prints Gymnasium's repr, e.g. {@code Box(-2.0, 2.0, (1,), float32)}, so
 * error messages read the same on both sides of the wire.
 */
public sealed interface Space permits Box, Discrete, MultiDiscrete, MultiBinary, Tuple, Dict, Text, Graph,
        Sequence, OneOf {

    /** True when {@code value} is an element of this space (right type, shape and range). */
    boolean contains(Object value);

    /** A uniformly drawn element (for unbounded boxes: normal/exponential draws as Gymnasium does). */
    Object sample(RandomGenerator rng);

    /**
     * Length of the float vector that {@link #flattenInto} writes (Discrete counts one-hot).
     *
     * @throws UnsupportedOperationException for spaces whose elements vary in size (Text, Graph,
     *     Sequence, and Tuple, Dict or OneOf holding one), naming the space
     */
    int flatDim();

    /**
     * Writes the vector encoding of {@code value} into {@code out[offset, offset + flatDim())}:
     * tensors element-wise, Discrete one-hot, Tuple and Dict concatenated in order.
     *
     * @throws IllegalArgumentException when the value is not of this space's form
     */
    void flattenInto(Object value, float[] out, int offset);

    /** The vector encoding of {@code value} as a new array. */
    default float[] flatten(Object value) {
        float[] out = new float[flatDim()];
        flattenInto(value, out, 0);
        return out;
    }

    /** Throws {@link InvalidArgumentException} naming the value and this space unless it contains the value. */
    default void checkContains(Object value, String role) throws InvalidArgumentException {
        if (!contains(value)) {
            throw new InvalidArgumentException(role + " " + PythonRepr.describeValue(value) + " is not in " + this);
        }
    }
}

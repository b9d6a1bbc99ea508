package dev.gymlink.env;

/** The one refusal of {@link Space#flatDim} and {@link Space#flattenInto} by spaces whose elements vary in size. */
final class Unflattenable {

    private Unflattenable() {}

    /** Names the space, and why when {@code reason} is not empty. */
    static UnsupportedOperationException refusal(Space space, String reason) {
        return new UnsupportedOperationException(space + " has no fixed-size vector encoding"
                + (reason.isEmpty() ? "" : ": " + reason));
    }
}

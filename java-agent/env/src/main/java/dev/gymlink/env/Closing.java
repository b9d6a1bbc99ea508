package dev.gymlink.env;

import java.util.function.Consumer;

/** Closing several resources so that one failure does not leave the others open. */
final class Closing {

    private Closing() {}

    /** Closes every item, even after one throws; rethrows the first failure with the rest suppressed. */
    static <T> void closeEach(Iterable<T> items, Consumer<T> close) {
        RuntimeException failure = null;
        for (T item : items) {
            try {
                close.accept(item);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

package dev.gymlink.cli;

import java.util.Locale;

/** How the command line prints numbers of the user's domain (returns, thresholds). */
final class Numbers {

    private Numbers() {}

    /** {@code 475} for whole numbers, else two decimals: thresholds and returns as people write them. */
    static String plain(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    /** A return or mean return: one decimal, two for small values (FrozenLake's 0.74 must not print as 0.7). */
    static String score(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }
}

package dev.gymlink.env;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * numpy's {@code str()} of scalars and arrays (numpy 2, default print options), so that spaces print
 * exactly as Gymnasium's repr: floats as the shortest digits that identify them in their dtype, at
 * most 8 decimals in arrays, positional or scientific by numpy's rules, elements padded so the
 * decimal points line up, lines wrapped at 75 characters, arrays over 1000 elements summarised.
 */
final class NumpyFormat {

    private static final int PRECISION = 8;
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final String SUMMARY = "...";

    private NumpyFormat() {}

    /** {@code str(np.float32(x))}, {@code str(np.int64(x))}, ... */
    static String scalar(double value, DType dtype) {
        if (dtype == DType.BOOL) {
            return value != 0 ? "True" : "False";
        }
        if (dtype.isIntegral()) {
            return integer(value);
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.abs(value);
        double largePositional = dtype == DType.FLOAT32 ? 1e6 : 1e16;
        BigDecimal digits = shortest(value, dtype);
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= largePositional)) {
            // Python-style scientific: no trailing point, exponent of at least two digits.
            String[] parts = scientific(digits, digits.precision() - 1);
            String mantissa = parts[1].isEmpty() ? parts[0] : parts[0] + "." + parts[1];
            return (isNegative(value) ? "-" : "") + mantissa + "e" + parts[2];
        }
        String[] parts = positional(digits, value);
        return parts[0] + "." + (parts[1].isEmpty() ? "0" : parts[1]);
    }

    /** {@code str(ndarray)} of a row-major array. */
    static String array(double[] data, int[] shape, DType dtype) {
        if (shape.length == 0) {
            return scalar(data[0], dtype);
        }
        if (data.length == 0) {
            return "[]";
        }
        boolean summarise = data.length > THRESHOLD;
        List<Double> shown = new ArrayList<>();
        collectShown(data, shape, 0, 0, summarise, shown);
        ElementFormat format = dtype == DType.BOOL ? new BoolFormat()
                : dtype.isIntegral() ? new IntegerFormat(shown)
                : new FloatFormat(shown, dtype);
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= shape[axis];
        }
        return new Printer(data, shape, strides, format, summarise).recurse(0, 0, " ", LINE_WIDTH);
    }

    private interface ElementFormat {
        String format(double value);
    }

    private static void collectShown(double[] data, int[] shape, int axis, int offset, boolean summarise,
            List<Double> out) {
        int stride = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            stride *= shape[a];
        }
        int length = shape[axis];
        for (int i = 0; i < length; i++) {
            if (summarise && 2 * EDGE_ITEMS < length && i >= EDGE_ITEMS && i < length - EDGE_ITEMS) {
                continue;
            }
            if (axis == shape.length - 1) {
                out.add(data[offset + i]);
            } else {
                collectShown(data, shape, axis + 1, offset + i * stride, summarise, out);
            }
        }
    }

    /** numpy's {@code _formatArray}: nested brackets, hanging indents, wrapping, summaries. */
    private record Printer(double[] data, int[] shape, int[] strides, ElementFormat format, boolean summarise) {

        String recurse(int axis, int offset, String hangingIndent, int width) {
            String nextIndent = hangingIndent + " ";
            int nextWidth = width - 1;
            int length = shape[axis];
            boolean showSummary = summarise && 2 * EDGE_ITEMS < length;
            int leading = showSummary ? EDGE_ITEMS : 0;
            int trailing = showSummary ? EDGE_ITEMS : length;
            StringBuilder s = new StringBuilder();
            if (axis == shape.length - 1) {
                int elementWidth = width - 1;
                String[] line = {hangingIndent};
                for (int i = 0; i < leading; i++) {
                    extendLine(s, line, format.format(data[offset + i]), elementWidth, hangingIndent);
                    line[0] += " ";
                }
                if (showSummary) {
                    extendLine(s, line, SUMMARY, elementWidth, hangingIndent);
                    line[0] += " ";
                }
                for (int i = trailing; i > 1; i--) {
                    extendLine(s, line, format.format(data[offset + length - i]), elementWidth, hangingIndent);
                    line[0] += " ";
                }
                extendLine(s, line, format.format(data[offset + length - 1]), elementWidth, hangingIndent);
                s.append(line[0]);
            } else {
                String lineSeparator = "\n".repeat(shape.length - axis - 1);
                for (int i = 0; i < leading; i++) {
                    s.append(hangingIndent).append(recurse(axis + 1, offset + i * strides[axis], nextIndent, nextWidth))
                            .append(lineSeparator);
                }
                if (showSummary) {
                    s.append(hangingIndent).append(SUMMARY).append(lineSeparator);
                }
                for (int i = trailing; i > 1; i--) {
                    s.append(hangingIndent)
                            .append(recurse(axis + 1, offset + (length - i) * strides[axis], nextIndent, nextWidth))
                            .append(lineSeparator);
                }
                s.append(hangingIndent)
                        .append(recurse(axis + 1, offset + (length - 1) * strides[axis], nextIndent, nextWidth));
            }
            return "[" + s.substring(hangingIndent.length()) + "]";
        }

        private static void extendLine(StringBuilder s, String[] line, String word, int width, String nextPrefix) {
            boolean wrap = line[0].length() + word.length() > width && line[0].length() > nextPrefix.length();
            if (wrap) {
                s.append(line[0].stripTrailing()).append('\n');
                line[0] = nextPrefix;
            }
            line[0] += word;
        }
    }

    private static final class BoolFormat implements ElementFormat {
        @Override
        public String format(double value) {
            return value != 0 ? " True" : "False";
        }
    }

    private static final class IntegerFormat implements ElementFormat {
        private final int width;

        IntegerFormat(List<Double> shown) {
            double max = shown.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double min = shown.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            width = Math.max(integer(max).length(), integer(min).length());
        }

        @Override
        public String format(double value) {
            return pad(integer(value), width);
        }
    }

    /** numpy's FloatingFormat for floatmode 'maxprec', precision 8, sign '-'. */
    private static final class FloatFormat implements ElementFormat {
        private final DType dtype;
        private final boolean scientific;
        private int padLeft;
        private int padRight;
        private int precision;
        private int exponentDigits;

        FloatFormat(List<Double> shown, DType dtype) {
            this.dtype = dtype;
            List<Double> finite = shown.stream().filter(Double::isFinite).toList();
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            for (double v : finite) {
                if (v != 0) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                    minAbs = Math.min(minAbs, Math.abs(v));
                }
            }
            double exponentialCutoff = dtype == DType.FLOAT32 ? 1e6 : 1e8;
            scientific = maxAbs > 0 && (maxAbs >= exponentialCutoff || minAbs < 1e-4 || maxAbs / minAbs > 1000);
            if (finite.isEmpty()) {
                padLeft = 0;
                padRight = 0;
            } else if (scientific) {
                for (double v : finite) {
                    BigDecimal digits = capSignificant(shortest(v, dtype), PRECISION + 1);
                    String[] parts = scientific(digits, digits.precision() - 1);
                    precision = Math.max(precision, parts[1].length());
                    exponentDigits = Math.max(exponentDigits, parts[2].length() - 1);
                    padLeft = Math.max(padLeft, parts[0].length() + (isNegative(v) ? 1 : 0));
                }
                padRight = exponentDigits + 2 + precision;
            } else {
                for (double v : finite) {
                    String[] parts = positional(capDecimals(shortest(v, dtype), v), v);
                    padLeft = Math.max(padLeft, parts[0].length());
                    padRight = Math.max(padRight, parts[1].length());
                }
            }
            if (finite.size() != shown.size()) {
                boolean negativeInfinity = shown.stream().anyMatch(v -> v == Double.NEGATIVE_INFINITY);
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negativeInfinity ? 1 : 0) - offset));
            }
        }

        @Override
        public String format(double value) {
            if (!Double.isFinite(value)) {
                String text = Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
                return pad(text, padLeft + padRight + 1);
            }
            if (scientific) {
                // Every element gets exactly `precision` decimals of its exact binary value.
                BigDecimal exact = new BigDecimal(value).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
                String[] parts = scientific(exact, precision);
                String sign = isNegative(value) ? "-" : "";
                String exponent = parts[2].charAt(0) + pad(parts[2].substring(1), exponentDigits).replace(' ', '0');
                return pad(sign + parts[0], padLeft) + "." + parts[1] + "e" + exponent;
            }
            String[] parts = positional(capDecimals(shortest(value, dtype), value), value);
            return pad(parts[0], padLeft) + "." + parts[1] + " ".repeat(padRight - parts[1].length());
        }
    }

    /** The shortest decimal that reads back as {@code value} in {@code dtype} (numpy's dragon4 'unique'). */
    private static BigDecimal shortest(double value, DType dtype) {
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            String text = candidate.toString();
            boolean readsBack = dtype == DType.FLOAT32
                    ? Float.parseFloat(text) == (float) value
                    : Double.parseDouble(text) == value;
            if (readsBack) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(MathContext.DECIMAL64).stripTrailingZeros();
    }

    /** At most {@link #PRECISION} decimals, rounding the exact value as dragon4 does. */
    private static BigDecimal capDecimals(BigDecimal digits, double value) {
        if (digits.scale() <= PRECISION) {
            return digits;
        }
        return new BigDecimal(value).setScale(PRECISION, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static BigDecimal capSignificant(BigDecimal digits, int significant) {
        return digits.precision() <= significant ? digits
                : digits.round(new MathContext(significant, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Integer part (with sign) and decimals (no trailing zeros) of a non-negative-scale decimal. */
    private static String[] positional(BigDecimal digits, double value) {
        String plain = digits.abs().toPlainString();
        int point = plain.indexOf('.');
        String integerPart = point < 0 ? plain : plain.substring(0, point);
        String decimals = point < 0 ? "" : plain.substring(point + 1);
        return new String[] {(isNegative(value) ? "-" : "") + integerPart, decimals};
    }

    /** Unsigned first digit, following digits ({@code decimals} of them), exponent with sign and 2+ digits. */
    private static String[] scientific(BigDecimal digits, int decimals) {
        BigDecimal magnitude = digits.abs();
        String unscaled = magnitude.unscaledValue().toString();
        int exponent = magnitude.signum() == 0 ? 0 : unscaled.length() - 1 - magnitude.scale();
        StringBuilder mantissa = new StringBuilder(unscaled);
        while (mantissa.length() < decimals + 1) {
            mantissa.append('0');
        }
        String following = mantissa.substring(1, decimals + 1);
        String exponentText = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        return new String[] {mantissa.substring(0, 1), following, exponentText};
    }

    private static boolean isNegative(double value) {
        return Double.doubleToRawLongBits(value) < 0;
    }

    private static String integer(double value) {
        // Integral boxes may still carry infinite float64 bounds over the wire.
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return BigDecimal.valueOf(value).toBigInteger().toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}

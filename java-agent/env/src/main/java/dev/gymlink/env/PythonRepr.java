package dev.gymlink.env;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Values, shapes and numbers printed as Python prints them, so that spaces, tensors and error
 * messages read the same on both sides of the wire (Gymnasium reprs).
 */
public final class PythonRepr {

    private PythonRepr() {}

    /** Python tuple form of a shape: {@code ()}, {@code (4,)}, {@code (2, 3)}. */
    public static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /** A number as Python prints a float: {@code 2.0}, {@code -inf}, {@code 0.05}. */
    public static String pythonFloat(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e16) {
            return (long) value + ".0";
        }
        return Double.toString(value);
    }

    /** A short, readable rendering of any space element or a wrong value, for error messages. */
    public static String describeValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof float[] a) {
            return "float[]" + Arrays.toString(a);
        }
        if (value instanceof double[] a) {
            return "double[]" + Arrays.toString(a);
        }
        if (value instanceof int[] a) {
            return "int[]" + Arrays.toString(a);
        }
        if (value instanceof long[] a) {
            return "long[]" + Arrays.toString(a);
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PythonRepr::describeValue).collect(Collectors.joining(", ", "(", ")"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> "'" + e.getKey() + "': " + describeValue(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return value.toString();
    }

    /** Whether an object is a whole number usable as a Discrete element. */
    static boolean isIntegralNumber(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }
}

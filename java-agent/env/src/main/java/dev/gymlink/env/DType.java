package dev.gymlink.env;

/** Element type of a {@link Tensor}, named after numpy's dtypes. */
public enum DType {
    FLOAT32("float32", false, 4),
    FLOAT64("float64", false, 8),
    INT8("int8", true, 1),
    INT16("int16", true, 2),
    INT32("int32", true, 4),
    INT64("int64", true, 8),
    UINT8("uint8", true, 1),
    UINT16("uint16", true, 2),
    UINT32("uint32", true, 4),
    UINT64("uint64", true, 8),
    BOOL("bool", true, 1);

    private final String numpyName;
    private final boolean integral;
    private final int itemSize;

    DType(String numpyName, boolean integral, int itemSize) {
        this.numpyName = numpyName;
        this.integral = integral;
        this.itemSize = itemSize;
    }

    /** The numpy name, e.g. {@code float32}. */
    public String numpyName() {
        return numpyName;
    }

    /** True for integer and bool types: elements must be whole numbers. */
    public boolean isIntegral() {
        return integral;
    }

    /** Bytes per element on the wire. */
    public int itemSize() {
        return itemSize;
    }

    /** Smallest representable value (as a double; exact up to 2^53). */
    public double minValue() {
        return switch (this) {
            case FLOAT32 -> -Float.MAX_VALUE;
            case FLOAT64 -> -Double.MAX_VALUE;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            case UINT8, UINT16, UINT32, UINT64, BOOL -> 0;
        };
    }

    /** Largest representable value (as a double; exact up to 2^53). */
    public double maxValue() {
        return switch (this) {
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case INT64 -> Long.MAX_VALUE;
            case UINT8 -> 255;
            case UINT16 -> 65535;
            case UINT32 -> 4294967295.0;
            case UINT64 -> 18446744073709551615.0;
            case BOOL -> 1;
        };
    }

    /** Rounds a value to what this dtype stores, as numpy's astype would for in-range values. */
    public double narrow(double value) {
        return switch (this) {
            case FLOAT32 -> (float) value;
            case FLOAT64 -> value;
            default -> value;
        };
    }

    public static DType fromNumpyName(String name) {
        for (DType dtype : values()) {
            if (dtype.numpyName.equals(name)) {
                return dtype;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'");
    }
}

package dev.unroll.runtime.safetensors;

/** The safetensors element types Unroll reads and writes. */
public enum DType {
    /** IEEE binary32. */
    F32(4),
    /** IEEE binary64. */
    F64(8),
    /** bfloat16: the upper half of a binary32. */
    BF16(2),
    /** IEEE binary16. */
    F16(2),
    /** Signed 32-bit integer. */
    I32(4),
    /** Signed 64-bit integer. */
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }

    /** @return whether this is a floating-point type */
    public boolean isFloating() {
        return this == F32 || this == F64 || this == BF16 || this == F16;
    }

    /**
     * @param name a header dtype string such as {@code "F32"}
     * @param tensor the tensor it belongs to, for the message
     * @return the dtype
     * @throws SafetensorsFormatException for any other string
     */
    public static DType parse(String name, String tensor) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new SafetensorsFormatException("tensor '" + tensor + "': unsupported dtype \"" + name
                + "\" (supported: F32, F64, BF16, F16, I32, I64)");
    }
}

package dev.unroll.runtime.safetensors;

import java.util.Arrays;

/**
 * One tensor entry of a safetensors header: its dtype, shape and byte range within the data
 * section (which starts right after the header).
 *
 * @param name the tensor name
 * @param dtype element type
 * @param shape dimensions, outermost first
 * @param begin first byte, relative to the data section
 * @param end one past the last byte
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    /**
     * Copies the shape so the record stays immutable.
     *
     * @param name the tensor name
     * @param dtype element type
     * @param shape dimensions, outermost first
     * @param begin first byte, relative to the data section
     * @param end one past the last byte
     */
    public TensorInfo {
        dev.unroll.runtime.internal.Checks.notNull("TensorInfo: name", name);
        dev.unroll.runtime.internal.Checks.notNull("TensorInfo: dtype", dtype);
        shape = dev.unroll.runtime.internal.Checks.notNull("TensorInfo: shape", shape).clone();
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of elements (1 for a scalar) */
    public long elementCount() {
        return dev.unroll.runtime.Limits.product("tensor '" + name + "'", shape);
    }

    /** @return the shape formatted like {@code [4, 16]} */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype
                && Arrays.equals(t.shape, shape) && t.begin == begin && t.end == end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString();
    }
}

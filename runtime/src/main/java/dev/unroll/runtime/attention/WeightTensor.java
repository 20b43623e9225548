package dev.unroll.runtime.attention;

import java.util.Arrays;

/**
 * One weight tensor of a layer: its canonical name (as in the reference's golden files and in
 * safetensors files Unroll reads), its row-major shape and its head ({@code -1} for shared ones).
 *
 * @param name canonical name, e.g. {@code heads.0.w_key} or {@code w_out}
 * @param field the per-head field, e.g. {@code w_key} ({@code w_out} for the output projection)
 * @param head head index, or -1
 * @param shape dimensions
 */
public record WeightTensor(String name, String field, int head, int[] shape) {
    /**
     * Copies the shape.
     *
     * @param name canonical name, e.g. {@code heads.0.w_key} or {@code w_out}
     * @param field the per-head field, e.g. {@code w_key} ({@code w_out} for the output projection)
     * @param head head index, or -1
     * @param shape dimensions
     */
    public WeightTensor {
        dev.unroll.runtime.internal.Checks.notNull("WeightTensor: name", name);
        shape = dev.unroll.runtime.internal.Checks.notNull("WeightTensor: shape", shape).clone();
    }

    /** @return a copy of the shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the shape as longs, for shape checks */
    public long[] longShape() {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /** @return element count */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightTensor w && w.name.equals(name) && Arrays.equals(w.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}

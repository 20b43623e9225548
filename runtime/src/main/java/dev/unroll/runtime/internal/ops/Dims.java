package dev.unroll.runtime.internal.ops;

import dev.unroll.runtime.UnrollException;

/**
 * The sizes of one recurrence call: tokens T, heads H, key width K, value width V.
 *
 * @param tokens T
 * @param heads H
 * @param keyWidth K
 * @param valueWidth V
 */
public record Dims(int tokens, int heads, int keyWidth, int valueWidth) {
    /**
     * Rejects negative or zero sizes (tokens may be 0).
     *
     * @param tokens T
     * @param heads H
     * @param keyWidth K
     * @param valueWidth V
     */
    public Dims {
        if (tokens < 0 || heads < 1 || keyWidth < 1 || valueWidth < 1) {
            throw new UnrollException("invalid recurrence dims: tokens " + tokens + " (>= 0), heads " + heads
                    + ", keyWidth " + keyWidth + ", valueWidth " + valueWidth + " (>= 1)");
        }
    }

    /** @return H * K * V, the size of the matrix state */
    public int stateSize() {
        return heads * keyWidth * valueWidth;
    }

    void check(String name, double[] a, long perToken) {
        long need = perToken * tokens;
        if (a == null || a.length != need) {
            throw new dev.unroll.runtime.ShapeMismatchException(name, new long[] {tokens, perToken},
                    new long[] {a == null ? 0 : a.length});
        }
    }

    void checkState(String name, double[] a, long size) {
        if (a == null || a.length != size) {
            throw new dev.unroll.runtime.ShapeMismatchException(name, new long[] {size}, new long[] {a == null ? 0 : a.length});
        }
    }
}

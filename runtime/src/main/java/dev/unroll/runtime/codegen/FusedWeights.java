package dev.unroll.runtime.codegen;

import dev.unroll.runtime.attention.AttentionWeights;

/**
 * Packs canonical weight tensors into the fused buffers of generated kernels: per head, the rows of
 * several projections stacked into one block, so that one matrix-vector product computes them all.
 */
public final class FusedWeights {
    private FusedWeights() {}

    /**
     * The rows of one per-head tensor inside a head's block.
     *
     * @param field per-head field, e.g. {@code w_key}
     * @param offset first row within the block
     * @param rows rows (vectors)
     */
    public record Segment(String field, int offset, int rows) {}

    /**
     * @param w canonical weights
     * @param segments the per-head layout
     * @param heads H
     * @param perHead values per head in the packed buffer (rows * width for projections)
     * @param width the model width (columns of a projection row)
     * @return {@code [H][perHead]}, row-major
     */
    public static double[] perHead(AttentionWeights w, Segment[] segments, int heads, int perHead, int width) {
        double[] out = new double[heads * perHead];
        for (int h = 0; h < heads; h++) {
            for (Segment s : segments) {
                double[] t = w.get("heads." + h + "." + s.field());
                int expected = s.rows() * width;
                if (t.length != expected) {
                    throw new dev.unroll.runtime.ShapeMismatchException("heads." + h + "." + s.field(), new long[] {expected}, new long[] {t.length});
                }
                System.arraycopy(t, 0, out, h * perHead + s.offset() * width, expected);
            }
        }
        return out;
    }

    /**
     * Transposes a row-major {@code [rows][cols]} matrix to {@code [cols][pad16(rows)]}, zero-padded:
     * the layout of the SIMD flavour.
     *
     * @param m row-major matrix
     * @param rows rows
     * @param cols columns
     * @return the transposed, padded matrix
     */
    public static double[] transposePadded(double[] m, int rows, int cols) {
        int stride = (rows + 15) / 16 * 16;
        double[] t = new double[cols * stride];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * stride + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /**
     * Moves a matrix between the scalar layout ({@code [rows][cols]} row-major) and the SIMD layout
     * ({@code [cols][pad16(rows)]}, see {@link #transposePadded}); the values are not touched.
     *
     * @param m the matrix in the {@code fromPadded} layout
     * @param rows rows of the matrix
     * @param cols columns
     * @param fromPadded whether {@code m} is in the SIMD layout
     * @param toPadded whether the result should be
     * @return {@code m} itself when the layouts agree, else a new array
     */
    public static float[] relayout(float[] m, int rows, int cols, boolean fromPadded, boolean toPadded) {
        if (fromPadded == toPadded) {
            return m;
        }
        int stride = (rows + 15) / 16 * 16;
        float[] t = new float[toPadded ? cols * stride : rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (toPadded) {
                    t[c * stride + r] = m[r * cols + c];
                } else {
                    t[r * cols + c] = m[c * stride + r];
                }
            }
        }
        return t;
    }

    /**
     * {@link #relayout(float[], int, int, boolean, boolean)} at F64.
     *
     * @param m the matrix in the {@code fromPadded} layout
     * @param rows rows of the matrix
     * @param cols columns
     * @param fromPadded whether {@code m} is in the SIMD layout
     * @param toPadded whether the result should be
     * @return {@code m} itself when the layouts agree, else a new array
     */
    public static double[] relayout(double[] m, int rows, int cols, boolean fromPadded, boolean toPadded) {
        if (fromPadded == toPadded) {
            return m;
        }
        int stride = (rows + 15) / 16 * 16;
        double[] t = new double[toPadded ? cols * stride : rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (toPadded) {
                    t[c * stride + r] = m[r * cols + c];
                } else {
                    t[r * cols + c] = m[c * stride + r];
                }
            }
        }
        return t;
    }

    /**
     * @param d doubles
     * @return them rounded to floats
     */
    public static float[] f32(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * @param w canonical weights
     * @param name a shared tensor such as {@code w_out}
     * @return a copy
     */
    public static double[] shared(AttentionWeights w, String name) {
        return w.get(name);
    }

    /**
     * LogLinear's active-level mask after {@code tokens} pushes: a binary counter of
     * {@code levels} bits whose overflow folds into the top level.
     *
     * @param mask mask before
     * @param levels L
     * @param tokens pushes
     * @return mask after
     */
    public static long advanceMask(long mask, int levels, long tokens) {
        long m = mask;
        for (long t = 0; t < tokens; t++) {
            boolean placed = false;
            for (int l = 0; l < levels; l++) {
                if ((m & (1L << l)) == 0) {
                    m |= 1L << l;
                    placed = true;
                    break;
                }
                m &= ~(1L << l);
            }
            if (!placed) {
                m |= 1L << (levels - 1);
            }
        }
        return m;
    }
}

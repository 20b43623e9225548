package dev.unroll.runtime.internal;

import dev.unroll.annotations.RopeLayout;

/**
 * Converts q/k projection rows between RoPE layouts. Within a head of width hd, the interleaved
 * layout pairs rows (2i, 2i+1); the half-split layout pairs (i, i + hd/2). Permuting the rows
 * (as llama2.c's exporter does for Hugging Face checkpoints) gives the same model.
 */
public final class RopeLayouts {
    private RopeLayouts() {}

    /**
     * @param w row-major [rows][cols]
     * @param rows rows (a multiple of hd)
     * @param cols columns
     * @param hd head width
     * @param target the layout of the result
     * @return the permuted matrix
     */
    public static float[] permuteRows(float[] w, int rows, int cols, int hd, RopeLayout target) {
        float[] out = new float[w.length];
        int half = hd / 2;
        for (int h = 0; h < rows / hd; h++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < 2; j++) {
                    int inter = h * hd + 2 * i + j;
                    int split = h * hd + j * half + i;
                    int from = target == RopeLayout.HALF_SPLIT ? inter : split;
                    int to = target == RopeLayout.HALF_SPLIT ? split : inter;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }
}

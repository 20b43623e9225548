package dev.unroll.runtime.internal;

/**
 * The weights of one decoder layer, packed for the flavour that runs (row-major, or transposed and
 * padded for SIMD). Internal: generated models read the fields; the arrays are never written.
 */
public final class DecoderLayer {
    /** RMSNorm before attention {@code [D]}. */
    public final float[] attnNorm;
    /** Query projection {@code [D][D]}. */
    public final float[] wq;
    /** Key projection {@code [KV][D]}. */
    public final float[] wk;
    /** Value projection {@code [KV][D]}. */
    public final float[] wv;
    /** Attention output projection {@code [D][D]}. */
    public final float[] wo;
    /** RMSNorm before the MLP {@code [D]}. */
    public final float[] ffnNorm;
    /** Gate projection {@code [F][D]}. */
    public final float[] w1;
    /** Up projection {@code [F][D]}. */
    public final float[] w3;
    /** Down projection {@code [D][F]}. */
    public final float[] w2;

    DecoderLayer(float[] attnNorm, float[] wq, float[] wk, float[] wv, float[] wo, float[] ffnNorm, float[] w1, float[] w3, float[] w2) {
        this.attnNorm = attnNorm;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.ffnNorm = ffnNorm;
        this.w1 = w1;
        this.w3 = w3;
        this.w2 = w2;
    }
}

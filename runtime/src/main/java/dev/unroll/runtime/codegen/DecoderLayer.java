package dev.unroll.runtime.codegen;

/**
 * The weights of one decoder layer, each matrix packed for its format and the flavour that runs
 * ({@link PackedMatrix}). Internal: generated models read the fields; the arrays are never written.
 */
public final class DecoderLayer {
    /** RMSNorm before attention {@code [D]}. */
    public final float[] attnNorm;
    /** Query projection {@code [D][D]}. */
    public final PackedMatrix wq;
    /** Key projection {@code [KV][D]}. */
    public final PackedMatrix wk;
    /** Value projection {@code [KV][D]}. */
    public final PackedMatrix wv;
    /** Attention output projection {@code [D][D]}. */
    public final PackedMatrix wo;
    /** RMSNorm before the MLP {@code [D]}. */
    public final float[] ffnNorm;
    /** Gate projection {@code [F][D]}. */
    public final PackedMatrix w1;
    /** Up projection {@code [F][D]}. */
    public final PackedMatrix w3;
    /** Down projection {@code [D][F]}. */
    public final PackedMatrix w2;

    DecoderLayer(float[] attnNorm, PackedMatrix wq, PackedMatrix wk, PackedMatrix wv, PackedMatrix wo, float[] ffnNorm, PackedMatrix w1, PackedMatrix w3,
            PackedMatrix w2) {
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

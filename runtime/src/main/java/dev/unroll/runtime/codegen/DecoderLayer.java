package dev.unroll.runtime.codegen;

/**
 * The weights of one decoder layer, each matrix packed for its format and the flavour that runs
 * ({@link PackedMatrix}). Internal: generated models read the fields; the arrays are never written.
 */
public final class DecoderLayer {
    /** RMSNorm before attention {@code [D]}. */
    public final float[] attnNorm;
    /** Query projection {@code [QD][D]} (QD: the query width, D unless the heads are not D / HEADS wide). */
    public final PackedMatrix wq;
    /** Key projection {@code [KV][D]}. */
    public final PackedMatrix wk;
    /** Value projection {@code [KV][D]}. */
    public final PackedMatrix wv;
    /** Attention output projection {@code [D][QD]}. */
    public final PackedMatrix wo;
    /** RMSNorm before the MLP {@code [D]}. */
    public final float[] ffnNorm;
    /** Gate projection {@code [F][D]}. */
    public final PackedMatrix w1;
    /** Up projection {@code [F][D]}. */
    public final PackedMatrix w3;
    /** Down projection {@code [D][F]}. */
    public final PackedMatrix w2;
    /** Query bias {@code [QD]} (Qwen2), or null. */
    public final float[] bq;
    /** Key bias {@code [KV]} (Qwen2), or null. */
    public final float[] bk;
    /** Value bias {@code [KV]} (Qwen2), or null. */
    public final float[] bv;
    /** Query head norm {@code [HD]} (Qwen3), or null. */
    public final float[] qNorm;
    /** Key head norm {@code [HD]} (Qwen3), or null. */
    public final float[] kNorm;

    /** The q, k and v biases, and the q and k head norms, of a layer that has them (null where it does not). */
    record HeadExtras(float[] bq, float[] bk, float[] bv, float[] qNorm, float[] kNorm) {}

    DecoderLayer(float[] attnNorm, PackedMatrix wq, PackedMatrix wk, PackedMatrix wv, PackedMatrix wo, float[] ffnNorm, PackedMatrix w1, PackedMatrix w3,
            PackedMatrix w2, HeadExtras extras) {
        this.bq = extras.bq();
        this.bk = extras.bk();
        this.bv = extras.bv();
        this.qNorm = extras.qNorm();
        this.kNorm = extras.kNorm();
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

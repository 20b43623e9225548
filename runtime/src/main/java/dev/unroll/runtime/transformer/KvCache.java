package dev.unroll.runtime.transformer;

/**
 * The keys and values one decoder layer (in one recurrent pass) has written, one row per position:
 * {@code k, v [maxSeq][kvWidth]}.
 */
public final class KvCache {
    /** Keys, row-major by position. */
    public final float[] k;
    /** Values, row-major by position. */
    public final float[] v;

    /**
     * @param maxSeq positions
     * @param kvWidth values per position
     */
    public KvCache(int maxSeq, int kvWidth) {
        k = new float[maxSeq * kvWidth];
        v = new float[maxSeq * kvWidth];
    }
}

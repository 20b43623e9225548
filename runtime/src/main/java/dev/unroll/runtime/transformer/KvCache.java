package dev.unroll.runtime.transformer;

/**
 * The keys and values one decoder layer (in one recurrent pass) has written, {@code maxSeq * kvWidth}
 * values each. The layout belongs to the model that writes and reads it (caches come from its
 * {@link TransformerModel#newCache()}): the generic engine keeps one row per position
 * ({@code [maxSeq][kvWidth]}); generated models keep one row per channel ({@code [kvWidth][maxSeq]}),
 * so attention streams contiguous positions.
 *
 * <p>Thread-safety: not thread-safe; a cache belongs to one generation at a time.
 */
public final class KvCache {
    /** Keys. */
    public final float[] k;
    /** Values. */
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

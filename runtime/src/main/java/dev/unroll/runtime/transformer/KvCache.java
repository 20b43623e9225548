package dev.unroll.runtime.transformer;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;

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
    /** Positions it holds. */
    public final int positions;

    /**
     * @param positions positions it holds (a generation's length is enough; generated models need their maxSeq)
     * @param kvWidth values per position
     */
    public KvCache(int positions, int kvWidth) {
        if (positions < 1 || kvWidth < 1) {
            throw new UnrollException("a KV cache of " + positions + " positions x " + kvWidth + " values: both must be >= 1");
        }
        int n = Limits.arrayLength("KV cache of " + positions + " positions", positions, kvWidth);
        Limits.checkBudget("a KV cache of " + positions + " positions x " + kvWidth + " keys and values", 8L * n);
        this.positions = positions;
        k = new float[n];
        v = new float[n];
    }

    /**
     * @param pos a position about to be written or read
     * @throws UnrollException when the cache does not hold it
     */
    public void checkPosition(int pos) {
        if (pos < 0 || pos >= positions) {
            throw new UnrollException("position " + pos + " is outside this KV cache [0, " + positions + ")");
        }
    }
}

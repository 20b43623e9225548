package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;

/**
 * The contract of {@link TransformerModel#prefill}: its argument checks, and the token-by-token
 * form every model can fall back to (hooks fire per token, so a model with hooks attached takes it).
 */
public final class Prefill {
    private Prefill() {}

    /**
     * Checks a prefill's arguments before anything is computed, so a bad call changes no cache.
     *
     * @param model the model
     * @param tokens holds the prompt
     * @param from index of its first token
     * @param count tokens to process
     * @param pos position of the first
     * @param caches the caches
     * @param logits receives the last token's scores, or null
     * @throws UnrollException naming the argument, its value and the rule it breaks
     */
    public static void check(TransformerModel model, int[] tokens, int from, int count, int pos, KvCache[] caches, float[] logits) {
        TransformerSpec s = model.spec();
        checkRange(tokens, from, count);
        if (pos < 0 || (long) pos + count > s.maxSeq()) {
            throw new UnrollException("positions " + pos + " .. " + ((long) pos + count - 1) + " are outside the KV cache [0, " + s.maxSeq() + ")");
        }
        for (int i = from; i < from + count; i++) {
            if (tokens[i] < 0 || tokens[i] >= s.vocab()) {
                throw new UnrollException("tokens[" + i + "] = " + tokens[i] + " is outside the vocabulary [0, " + s.vocab() + ")");
            }
        }
        int expected = model.forwardCaches();
        if (caches == null || caches.length != expected) {
            throw new UnrollException("caches: expected " + expected + " (one per step of the forward), got " + (caches == null ? "null" : caches.length));
        }
        for (int i = 0; i < caches.length; i++) {
            KvCache c = caches[i];
            if (c == null) {
                throw new UnrollException("caches[" + i + "]: null");
            }
            if (c.positions < pos + count || c.k.length != (long) c.positions * s.kvWidth()) {
                throw new UnrollException("caches[" + i + "] holds " + c.positions + " positions of " + c.k.length / Math.max(1, c.positions)
                        + " keys; this prefill needs " + (pos + count) + " positions of " + s.kvWidth() + " (use model.newCache())");
            }
        }
        if (logits != null && logits.length != s.vocab()) {
            throw new UnrollException("logits: expected length " + s.vocab() + ", got " + logits.length);
        }
    }

    /**
     * @param tokens holds the prompt
     * @param from index of its first token
     * @param count tokens to process
     * @throws UnrollException when tokens is null, count is below 1 or the range leaves the array
     */
    public static void checkRange(int[] tokens, int from, int count) {
        if (tokens == null) {
            throw new UnrollException("tokens: null; a prefill needs the prompt's tokens");
        }
        if (count < 1) {
            throw new UnrollException("count = " + count + ": a prefill processes at least one token");
        }
        if (from < 0 || (long) from + count > tokens.length) {
            throw new UnrollException("tokens[" + from + " .. " + ((long) from + count) + ") is outside tokens[0 .. " + tokens.length + ")");
        }
    }

    /**
     * The prefill as {@code count} calls of {@link TransformerModel#forwardToken}.
     *
     * @param model the model
     * @param tokens holds the prompt
     * @param from index of its first token
     * @param count tokens to process
     * @param pos position of the first
     * @param caches the caches
     * @param logits receives the last token's scores, or null
     * @param hooks hooks, or null
     */
    public static void tokenByToken(TransformerModel model, int[] tokens, int from, int count, int pos, KvCache[] caches, float[] logits, Hooks hooks) {
        float[] x = new float[model.spec().width()];
        float[] scratch = logits != null ? logits : new float[model.spec().vocab()];
        for (int t = 0; t < count; t++) {
            if (hooks != null) {
                hooks.newest(pos + t);
            }
            model.forwardToken(tokens[from + t], pos + t, caches, x, scratch, hooks);
        }
    }
}

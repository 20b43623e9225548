package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;

/**
 * The contracts of {@link TransformerModel#prefill} and {@link TransformerModel#forwardTokens}: their
 * argument checks, and the token-by-token prefill every model can fall back to (hooks fire per
 * token, so a model with hooks attached takes it).
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
        TransformerSpec s = dev.unroll.runtime.internal.Checks.notNull("prefill: model", model).spec();
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
            checkCache("caches[" + i + "]", caches[i], pos + count, s);
        }
        if (logits != null && logits.length != s.vocab()) {
            throw new UnrollException("logits: expected length " + s.vocab() + ", got " + logits.length);
        }
    }

    /**
     * Checks a batched step's arguments before anything is computed.
     *
     * @param model the model
     * @param tokens the token of each sequence
     * @param positions the position of each
     * @param caches the caches of each
     * @param logits each sequence's scores
     * @throws UnrollException naming the argument, its value and the rule it breaks
     */
    public static void checkBatch(TransformerModel model, int[] tokens, int[] positions, KvCache[][] caches, float[][] logits) {
        TransformerSpec s = dev.unroll.runtime.internal.Checks.notNull("batched step: model", model).spec();
        if (tokens == null || positions == null || caches == null || logits == null) {
            throw new UnrollException((tokens == null ? "tokens" : positions == null ? "positions" : caches == null ? "caches" : "logits")
                    + ": null; a batched step needs tokens, positions, caches and logits, one per sequence");
        }
        int n = tokens.length;
        if (n < 1) {
            throw new UnrollException("tokens: empty; a batched step takes at least one sequence");
        }
        if (positions.length != n || caches.length != n || logits.length != n) {
            throw new UnrollException("positions, caches and logits must have one entry per sequence (" + n + " tokens), got " + positions.length + ", "
                    + caches.length + " and " + logits.length);
        }
        java.util.Set<KvCache> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int q = 0; q < n; q++) {
            if (tokens[q] < 0 || tokens[q] >= s.vocab()) {
                throw new UnrollException("tokens[" + q + "] = " + tokens[q] + " is outside the vocabulary [0, " + s.vocab() + ")");
            }
            if (positions[q] < 0 || positions[q] >= s.maxSeq()) {
                throw new UnrollException("positions[" + q + "] = " + positions[q] + " is outside the KV cache [0, " + s.maxSeq() + ")");
            }
            if (logits[q] == null || logits[q].length != s.vocab()) {
                throw new UnrollException("logits[" + q + "]: expected length " + s.vocab() + ", got " + (logits[q] == null ? "null" : logits[q].length));
            }
            KvCache[] c = caches[q];
            int expected = model.forwardCaches();
            if (c == null || c.length != expected) {
                throw new UnrollException("caches[" + q + "]: expected " + expected + " caches (one per step of the forward), got "
                        + (c == null ? "null" : c.length));
            }
            for (int i = 0; i < c.length; i++) {
                checkCache("caches[" + q + "][" + i + "]", c[i], positions[q] + 1, s);
                if (!seen.add(c[i])) {
                    throw new UnrollException("caches[" + q + "][" + i + "] is also another step's or sequence's cache; each sequence needs its own");
                }
            }
        }
    }

    private static void checkCache(String name, KvCache c, int positions, TransformerSpec s) {
        if (c == null) {
            throw new UnrollException(name + ": null");
        }
        if (c.positions < positions || c.k.length != (long) c.positions * s.kvWidth()) {
            throw new UnrollException(name + " holds " + c.positions + " positions of " + c.k.length / Math.max(1, c.positions)
                    + " keys; this call needs " + positions + " positions of " + s.kvWidth() + " (use model.newCache())");
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
        check(model, tokens, from, count, pos, caches, logits);
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

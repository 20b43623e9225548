package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;

/**
 * The arguments of a decoder's low-level calls ({@code TransformerModel.layer}, {@code logits},
 * {@code forwardToken}), checked the same way by the generic engine and by generated models before
 * any kernel indexes them: a layer of the model, streams of its width, logits of its vocabulary, a KV
 * cache of its KV width, passes counted from 1. For implementations of {@link TransformerModel}.
 */
public final class ModelArguments {
    private ModelArguments() {}

    /**
     * @param s the model
     * @param l a layer
     * @param x the stream
     * @param cache the layer's cache
     * @param pass the pass (from 1)
     */
    public static void layer(TransformerSpec s, int l, float[] x, KvCache cache, int pass) {
        Checks.notNull("layer: the model's spec", s);
        if (l < 0 || l >= s.layers()) {
            throw new UnrollException("layer " + l + ": the model has layers 0.." + (s.layers() - 1));
        }
        Checks.length("layer: x", x, s.width());
        cache(s, "layer: the KV cache", cache);
        if (pass < 1) {
            throw new UnrollException("layer: pass " + pass + ": passes count from 1");
        }
    }

    /**
     * @param s the model
     * @param what the cache, for messages
     * @param cache a cache the model's kernels will index
     */
    public static void cache(TransformerSpec s, String what, KvCache cache) {
        Checks.notNull(what + ": the model's spec", s);
        Checks.notNull(what, cache);
        if (cache.k.length != (long) cache.positions * s.kvWidth()) {
            throw new UnrollException(what + " holds " + cache.k.length / Math.max(1, cache.positions) + " values per position; this model's hold "
                    + s.kvWidth() + " (take caches from its newCache())");
        }
    }

    /**
     * @param s the model
     * @param x the stream
     * @param logits receives the scores
     */
    public static void logits(TransformerSpec s, float[] x, float[] logits) {
        Checks.notNull("logits: the model's spec", s);
        Checks.length("logits: x", x, s.width());
        Checks.length("logits: logits", logits, s.vocab());
    }
}

package dev.unroll.runtime.transformer;

/**
 * A decoder, one token at a time: the operations the generators compose into plain and recurrent
 * forwards. A generated model or the generic engine.
 *
 * <p>Thread-safety: a model is immutable; concurrent generations each use their own caches and, in
 * generated models, their own per-thread scratch.
 */
public interface TransformerModel {
    /** @return the descriptor */
    TransformerSpec spec();

    /** @return what runs */
    String implementation();

    /** @return an empty cache for one layer (in one pass), holding every position up to maxSeq */
    default KvCache newCache() {
        return newCache(spec().maxSeq());
    }

    /**
     * @param positions positions the generation will use (at most maxSeq)
     * @return an empty cache for one layer (in one pass) holding them; a model whose layout needs
     *     all maxSeq positions (generated models) returns a full one
     */
    default KvCache newCache(int positions) {
        return new KvCache(Math.min(positions, spec().maxSeq()), spec().kvWidth());
    }

    /**
     * @param token a token id
     * @param x receives its embedding (width d)
     */
    void embed(int token, float[] x);

    /**
     * One decoder layer on the residual stream of the token at {@code pos}: writes that position's
     * key and value into {@code cache} and attends over positions {@code 0..pos} of it.
     *
     * @param layer the layer
     * @param x the stream, updated in place
     * @param pos the position
     * @param cache the layer's cache (for this pass)
     * @param hooks hooks, or null
     * @param pass the recurrent pass (1 outside a block), reported to hooks
     */
    void layer(int layer, float[] x, int pos, KvCache cache, Hooks hooks, int pass);

    /**
     * Final norm and classifier.
     *
     * @param x the stream (not modified)
     * @param pos its position, reported to hooks
     * @param logits receives the vocabulary scores
     * @param hooks hooks, or null
     */
    void logits(float[] x, int pos, float[] logits, Hooks hooks);

    /**
     * @return whether {@link #forwardToken} is this model's own compiled schedule (generated models, for their
     *     descriptor's recurrent block) rather than the default loop over {@link #layer}
     */
    default boolean compiledForward() {
        return false;
    }

    /** @return caches {@link #forwardToken} needs: one per step of {@code spec().forwardLayers()} */
    default int forwardCaches() {
        return spec().forwardLayers().length;
    }

    /**
     * The descriptor's whole forward for one token: the embedding, every step of
     * {@code spec().forwardLayers()} (the recurrent block, if any, repeated {@code depth} times, iterating on its
     * own output), the final norm and the classifier. Caches in that order ({@link #forwardCaches()} of them).
     *
     * @param token the token
     * @param pos its position
     * @param caches the caches
     * @param x the stream (scratch, width d)
     * @param logits receives the scores
     * @param hooks hooks, or null
     */
    default void forwardToken(int token, int pos, KvCache[] caches, float[] x, float[] logits, Hooks hooks) {
        int[] layers = spec().forwardLayers();
        int[] passes = spec().forwardPasses();
        embed(token, x);
        if (hooks != null) {
            hooks.fire(HookPoint.EMBED, -1, 1, pos, x);
        }
        for (int step = 0; step < layers.length; step++) {
            layer(layers[step], x, pos, caches[step], hooks, passes[step]);
        }
        logits(x, pos, logits, hooks);
    }

    /**
     * A prompt in one call: {@link #forwardToken}'s forward for {@code count} tokens at positions
     * {@code pos .. pos + count - 1}, filling the caches, then the logits of the last token. A generated
     * model runs each layer's projections and MLP as matrix products over a block of tokens, reading
     * its weights once per block instead of once per token; the result equals {@code count} calls of
     * {@link #forwardToken} within F32 rounding (the scalar flavour: the same bits). With hooks it runs
     * token by token, firing them as {@link #forwardToken} does.
     *
     * @param tokens holds the prompt
     * @param from index of its first token in {@code tokens}
     * @param count tokens to process, at least 1
     * @param pos position of the first; positions below it must already be in the caches
     * @param caches the caches, as {@link #forwardToken} takes them
     * @param logits receives the scores after the last token, or null
     * @param hooks hooks, or null
     * @throws dev.unroll.runtime.UnrollException naming the argument when a range, a token, a cache or
     *     the logits do not fit (nothing has been computed then)
     */
    default void prefill(int[] tokens, int from, int count, int pos, KvCache[] caches, float[] logits, Hooks hooks) {
        Prefill.check(this, tokens, from, count, pos, caches, logits);
        Prefill.tokenByToken(this, tokens, from, count, pos, caches, logits, hooks);
    }

    /**
     * One token of each of several sequences, each with its own position and caches (a batch of
     * independent generations stepping together): {@link #forwardToken}'s forward for every one. A
     * generated model runs the projections and the MLP as matrix products over the batch, reading
     * its weights once for all sequences; the result equals one {@link #forwardToken} per sequence
     * within F32 rounding (the scalar flavour: the same bits).
     *
     * @param tokens the token of each sequence
     * @param positions the position of each
     * @param caches the caches of each ({@link #forwardCaches()} per sequence, no cache shared)
     * @param logits receives each sequence's scores ({@code [sequences][vocab]})
     * @throws dev.unroll.runtime.UnrollException naming the argument when a length, a token, a
     *     position, a cache or a shared cache does not fit (nothing has been computed then)
     */
    default void forwardTokens(int[] tokens, int[] positions, KvCache[][] caches, float[][] logits) {
        Prefill.checkBatch(this, tokens, positions, caches, logits);
        float[] x = new float[spec().width()];
        for (int s = 0; s < tokens.length; s++) {
            forwardToken(tokens[s], positions[s], caches[s], x, logits[s], null);
        }
    }
}

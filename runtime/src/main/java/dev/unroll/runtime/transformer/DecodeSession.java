package dev.unroll.runtime.transformer;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import java.util.Locale;

/**
 * One KV-cached decode, position by position, exact under every recurrence mode of the reference
 * (which recomputes the whole sequence at every token):
 *
 * <ul>
 *   <li><b>plain</b> (no recurrence, or depth 1): one cache per layer;
 *   <li><b>iterate</b> (no feedback, depth &gt;= 2: the block iterates on its own output): one cache
 *       per layer outside the block and one per (pass, block layer);
 *   <li><b>prefill feedback</b> (feedback, not sustained): with feedback every pass after the first
 *       restarts from the pre-loop state plus the nudges, so the result is exactly one pass with the
 *       nudges added at the block's input; the cache is built with them at their positions;
 *   <li><b>sustained</b>: the newest position also gets every entry, for that step only. Its row
 *       through layers &gt;= loopStart is computed twice: nudged (for this step's logits), then
 *       un-nudged (committed to the cache, as later recomputes see it).
 * </ul>
 *
 * <p>Per-token cost is one forward of the newest token (two block evaluations when sustained) plus
 * attention over the cached rows: it does not grow with the prefix beyond attention's own. Caches are
 * indexed by position, so processing a position again simply overwrites its rows (rewinding is
 * free). When the model is a generated one whose compile-time block is exactly this recurrence (or
 * none), its generated {@code forwardToken} runs instead of the layer-by-layer loop.
 *
 * <p>Thread-safety: not thread-safe; one session is one generation, driven by one thread at a time.
 */
public final class DecodeSession implements DecodeRunner {
    private enum Mode { PLAIN, ITERATE, PREFILL_FEEDBACK, SUSTAINED }

    private final TransformerModel model;
    private final RecurrentPassSpec rp;
    private final Hooks hooks;
    private final Mode mode;
    private final TransformerModel generated;
    private final KvCache[] flat;
    private final KvCache[] layer;
    private final KvCache[][] block;
    private final float[] x;
    private final float[] scratchLogits;
    /** Positions 0 .. processed - 1 hold this sequence's keys and values. */
    private int processed;

    /**
     * @param model the decoder
     * @param rp the recurrence (validated by the caller), or null
     * @param hooks hooks, or null
     * @param positions positions the generation will use (caches are sized by them where the model allows)
     */
    DecodeSession(TransformerModel model, RecurrentPassSpec rp, Hooks hooks, int positions) {
        this.model = model;
        this.rp = rp;
        this.hooks = hooks;
        this.mode = rp == null || rp.depth() == 1 ? Mode.PLAIN
                : rp.feedback().isEmpty() ? Mode.ITERATE : rp.sustained() ? Mode.SUSTAINED : Mode.PREFILL_FEEDBACK;
        this.generated = generatedForward();
        TransformerSpec s = model.spec();
        if (hooks != null) {
            hooks.check(s);
        }
        this.x = new float[s.width()];
        this.scratchLogits = new float[s.vocab()];
        int cap = Math.min(Math.max(positions, 1), s.maxSeq());
        int caches = generated != null ? generated.forwardCaches() : s.layers() + (mode == Mode.ITERATE ? (rp.depth() - 1) * (rp.loopEnd() - rp.loopStart() + 1) : 0);
        int perCache = generated != null ? s.maxSeq() : cap;
        Limits.checkBudget("the KV caches (" + caches + " caches of " + perCache + " positions x " + s.kvWidth() + " keys and values)",
                Limits.product("KV caches", caches, perCache, s.kvWidth(), 2, Float.BYTES));
        if (generated != null) {
            flat = new KvCache[generated.forwardCaches()];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = model.newCache(cap);
            }
            layer = null;
            block = null;
            return;
        }
        flat = null;
        int n = s.layers();
        layer = new KvCache[n];
        for (int l = 0; l < n; l++) {
            if (mode != Mode.ITERATE || l < rp.loopStart() || l > rp.loopEnd()) {
                layer[l] = model.newCache(cap);
            }
        }
        if (mode == Mode.ITERATE) {
            int len = rp.loopEnd() - rp.loopStart() + 1;
            block = new KvCache[rp.depth()][len];
            for (int p = 0; p < rp.depth(); p++) {
                for (int i = 0; i < len; i++) {
                    block[p][i] = model.newCache(cap);
                }
            }
        } else {
            block = null;
        }
    }

    @Override
    public dev.unroll.runtime.backend.Backend backend() {
        return dev.unroll.runtime.backend.Backend.JVM;
    }

    @Override
    public void close() {
        // the caches live on the heap
    }

    /** @return how the recurrence runs: plain, iterate, prefill_feedback or sustained, and whether generated */
    @Override
    public String mode() {
        return mode.name().toLowerCase(Locale.ROOT) + (generated != null ? " (generated forward)" : "");
    }

    /**
     * Processes a prompt token that is not the newest: its rows enter the caches, no logits.
     *
     * @param token the token
     * @param pos its position; every earlier position must have been processed
     */
    @Override
    public void absorb(int token, int pos) {
        checkPosition(pos);
        process(token, pos, false, null);
    }

    /**
     * Processes prompt tokens that are not the newest: with the generated forward and no hooks, one
     * {@link TransformerModel#prefill} (blocks of tokens, GEMMs over each); else one at a time.
     *
     * @param tokens holds the prompt
     * @param from index of the first token
     * @param count how many
     * @param pos position of the first; every earlier position must have been processed
     */
    @Override
    public void absorb(int[] tokens, int from, int count, int pos) {
        Prefill.checkRange(tokens, from, count);
        if (generated == null || hooks != null) {
            DecodeRunner.super.absorb(tokens, from, count, pos);
            return;
        }
        // every argument checked before the position is taken, so a rejected call changes nothing
        Prefill.check(generated, tokens, from, count, pos, flat, null);
        checkPosition(pos);
        generated.prefill(tokens, from, count, pos, flat, null, null);
        processed = pos + count;
    }

    /**
     * Processes the newest token and writes the logits of the next one.
     *
     * @param token the token
     * @param pos its position; every earlier position must have been processed
     * @param logits out, {@code [vocab]}
     */
    @Override
    public void next(int token, int pos, float[] logits) {
        checkPosition(pos);
        if (logits.length != model.spec().vocab()) {
            throw new UnrollException("logits: expected length " + model.spec().vocab() + ", got " + logits.length);
        }
        process(token, pos, true, logits);
    }

    /**
     * Positions are processed in order from 0; going back to an earlier one rewinds (what came after
     * it is discarded), skipping ahead would read rows nothing has written.
     */
    private void checkPosition(int pos) {
        if (pos < 0 || pos >= model.spec().maxSeq()) {
            throw new UnrollException("position " + pos + " is outside 0.." + (model.spec().maxSeq() - 1) + " (maxSeq " + model.spec().maxSeq() + ")");
        }
        if (pos > processed) {
            throw new UnrollException("position " + pos + " skips positions " + processed + ".." + (pos - 1)
                    + ": process every position in order from 0 (absorb the prompt first)");
        }
        processed = pos + 1;
    }

    /** The generated model's own forward, when its compile-time block is exactly this run's recurrence. */
    private TransformerModel generatedForward() {
        if (!model.compiledForward()) {
            return null;
        }
        TransformerModel gt = model;
        TransformerSpec.Block b = gt.spec().block();
        if (mode == Mode.PLAIN && b == null) {
            return gt;
        }
        if (mode == Mode.ITERATE && b != null && b.loopStart() == rp.loopStart() && b.loopEnd() == rp.loopEnd() && b.depth() == rp.depth()) {
            return gt;
        }
        return null;
    }

    private void process(int token, int pos, boolean newest, float[] logits) {
        if (hooks != null) {
            hooks.newest(pos);
        }
        if (generated != null) {
            generated.forwardToken(token, pos, flat, x, logits == null ? scratchLogits : logits, hooks);
            return;
        }
        int layers = model.spec().layers();
        model.embed(token, x);
        if (hooks != null) {
            hooks.fire(HookPoint.EMBED, -1, 1, pos, x);
        }
        int start = mode == Mode.PLAIN ? layers : rp.loopStart();
        for (int l = 0; l < start; l++) {
            model.layer(l, x, pos, layer[l], hooks, 1);
        }
        switch (mode) {
            case PLAIN -> {
            }
            case ITERATE -> {
                for (int pass = 1; pass <= rp.depth(); pass++) {
                    for (int l = rp.loopStart(); l <= rp.loopEnd(); l++) {
                        model.layer(l, x, pos, block[pass - 1][l - rp.loopStart()], hooks, pass);
                    }
                }
                for (int l = rp.loopEnd() + 1; l < layers; l++) {
                    model.layer(l, x, pos, layer[l], hooks, 1);
                }
            }
            case PREFILL_FEEDBACK -> {
                nudge(x, pos, rp, false);
                for (int l = rp.loopStart(); l < layers; l++) {
                    model.layer(l, x, pos, layer[l], hooks, l <= rp.loopEnd() ? rp.depth() : 1);
                }
            }
            case SUSTAINED -> {
                if (newest) {
                    float[] xn = x.clone();
                    nudge(xn, pos, rp, true);
                    for (int l = rp.loopStart(); l < layers; l++) {
                        model.layer(l, xn, pos, layer[l], hooks, l <= rp.loopEnd() ? rp.depth() : 1);
                    }
                    model.logits(xn, pos, logits, hooks);
                }
                // the row later recomputes see: prompt feedback only (overwrites the nudged row)
                nudge(x, pos, rp, false);
                for (int l = rp.loopStart(); l < layers; l++) {
                    model.layer(l, x, pos, layer[l], null, l <= rp.loopEnd() ? rp.depth() : 1);
                }
                return;
            }
            default -> throw new IllegalStateException(mode.name());
        }
        if (logits != null) {
            model.logits(x, pos, logits, hooks);
        }
    }

    /**
     * Adds, in list order, the entries at {@code pos}; with {@code sustainedCopy} also every entry
     * again (the reference duplicates the whole list at the newest position).
     */
    private static void nudge(float[] x, int pos, RecurrentPassSpec rp, boolean sustainedCopy) {
        for (RecurrentPassSpec.Feedback f : rp.feedback()) {
            if (f.position() == pos) {
                f.addTo(x);
            }
        }
        if (sustainedCopy) {
            for (RecurrentPassSpec.Feedback f : rp.feedback()) {
                f.addTo(x);
            }
        }
    }

}

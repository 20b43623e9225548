package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.List;

/**
 * Generation with a KV cache, exact under every recurrence mode of the reference (which recomputes
 * the whole sequence at every token). Each step processes only the newest position:
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
 * Per-token cost is that of one forward of the newest token (two block evaluations when sustained),
 * plus attention over the cached rows: it does not grow with the prefix beyond attention's own.
 */
public final class CachedGenerator {
    private final TransformerModel model;

    /** @param model the decoder */
    public CachedGenerator(TransformerModel model) {
        this.model = model;
    }

    private enum Mode { PLAIN, ITERATE, PREFILL_FEEDBACK, SUSTAINED }

    /**
     * @param g the settings
     * @return the sequence
     */
    public GenerationResult generate(Generation g) {
        TransformerSpec s = model.spec();
        RecurrentPassSpec rp = g.recurrence();
        List<String> warnings = rp == null ? List.of() : rp.validate(s.layers(), g.prompt().length, s.width());
        Mode mode = rp == null || rp.depth() == 1 ? Mode.PLAIN
                : rp.feedback().isEmpty() ? Mode.ITERATE : rp.sustained() ? Mode.SUSTAINED : Mode.PREFILL_FEEDBACK;
        int total = g.prompt().length + g.maxNewTokens();
        if (total > s.maxSeq() + 1) {
            throw new UnrollException("prompt (" + g.prompt().length + ") + maxNewTokens (" + g.maxNewTokens() + ") exceeds maxSeq (" + s.maxSeq() + ")");
        }
        Caches caches = new Caches(mode, rp);
        GeneratedTransformer unrolled = unrolledForward(mode, rp);
        KvCache[] flat = null;
        if (unrolled != null) {
            flat = new KvCache[unrolled.forwardCaches()];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = model.newCache();
            }
        }
        int[] tokens = new int[total];
        System.arraycopy(g.prompt(), 0, tokens, 0, g.prompt().length);
        int len = g.prompt().length;
        List<float[]> logitsList = new ArrayList<>();
        float[] x = new float[s.width()];
        float[] logits = new float[s.vocab()];
        long t0 = System.nanoTime();
        float[] unused = new float[s.vocab()];
        for (int p = 0; p < len - 1; p++) {
            if (unrolled != null) {
                if (g.hooks() != null) {
                    g.hooks().newest(p);
                }
                unrolled.forwardToken(tokens[p], p, flat, x, unused, g.hooks());
            } else {
                process(tokens[p], p, false, x, null, caches, mode, rp, g.hooks());
            }
        }
        int generated = 0;
        while (generated < g.maxNewTokens()) {
            int pos = len - 1;
            if (unrolled != null) {
                if (g.hooks() != null) {
                    g.hooks().newest(pos);
                }
                unrolled.forwardToken(tokens[pos], pos, flat, x, logits, g.hooks());
            } else {
                process(tokens[pos], pos, true, x, logits, caches, mode, rp, g.hooks());
            }
            if (g.keepLogits()) {
                logitsList.add(logits.clone());
            }
            int next = g.sampler().sample(logits.clone());
            if (g.stopTokens().contains(next)) {
                break;
            }
            tokens[len++] = next;
            generated++;
        }
        long nanos = System.nanoTime() - t0;
        String how = mode.name().toLowerCase(java.util.Locale.ROOT) + (unrolled != null ? " (generated unrolled forward)" : "");
        return new GenerationResult(java.util.Arrays.copyOf(tokens, len), generated, logitsList, nanos, how, warnings);
    }

    /** The generated model's own forward, when its compile-time block is exactly this run's recurrence. */
    private GeneratedTransformer unrolledForward(Mode mode, RecurrentPassSpec rp) {
        if (!(model instanceof GeneratedTransformer gt)) {
            return null;
        }
        TransformerSpec.Block b = gt.spec().block();
        if (mode == Mode.PLAIN && b == null) {
            return gt;
        }
        if (mode == Mode.ITERATE && b != null && b.loopStart() == rp.loopStart() && b.loopEnd() == rp.loopEnd() && b.depth() == rp.depth()) {
            return gt;
        }
        return null;
    }

    /** The KV caches a mode needs. */
    private final class Caches {
        final KvCache[] layer;
        final KvCache[][] block;

        Caches(Mode mode, RecurrentPassSpec rp) {
            int n = model.spec().layers();
            layer = new KvCache[n];
            for (int l = 0; l < n; l++) {
                if (mode != Mode.ITERATE || l < rp.loopStart() || l > rp.loopEnd()) {
                    layer[l] = model.newCache();
                }
            }
            if (mode == Mode.ITERATE) {
                int len = rp.loopEnd() - rp.loopStart() + 1;
                block = new KvCache[rp.depth()][len];
                for (int p = 0; p < rp.depth(); p++) {
                    for (int i = 0; i < len; i++) {
                        block[p][i] = model.newCache();
                    }
                }
            } else {
                block = null;
            }
        }
    }

    private void process(int token, int pos, boolean newest, float[] x, float[] logits, Caches c, Mode mode, RecurrentPassSpec rp, Hooks hooks) {
        int layers = model.spec().layers();
        if (hooks != null) {
            hooks.newest(pos);
        }
        model.embed(token, x);
        if (hooks != null) {
            hooks.fire(HookPoint.EMBED, -1, 1, pos, x);
        }
        int start = mode == Mode.PLAIN ? layers : rp.loopStart();
        for (int l = 0; l < start; l++) {
            model.layer(l, x, pos, c.layer[l], hooks, 1);
        }
        switch (mode) {
            case PLAIN -> {
            }
            case ITERATE -> {
                for (int pass = 1; pass <= rp.depth(); pass++) {
                    for (int l = rp.loopStart(); l <= rp.loopEnd(); l++) {
                        model.layer(l, x, pos, c.block[pass - 1][l - rp.loopStart()], hooks, pass);
                    }
                }
                for (int l = rp.loopEnd() + 1; l < layers; l++) {
                    model.layer(l, x, pos, c.layer[l], hooks, 1);
                }
            }
            case PREFILL_FEEDBACK -> {
                nudge(x, pos, rp, false);
                for (int l = rp.loopStart(); l < layers; l++) {
                    model.layer(l, x, pos, c.layer[l], hooks, l <= rp.loopEnd() ? rp.depth() : 1);
                }
            }
            case SUSTAINED -> {
                if (newest) {
                    float[] xn = x.clone();
                    nudge(xn, pos, rp, true);
                    for (int l = rp.loopStart(); l < layers; l++) {
                        model.layer(l, xn, pos, c.layer[l], hooks, l <= rp.loopEnd() ? rp.depth() : 1);
                    }
                    model.logits(xn, pos, logits, hooks);
                }
                // the row later recomputes see: prompt feedback only (overwrites the nudged row)
                nudge(x, pos, rp, false);
                for (int l = rp.loopStart(); l < layers; l++) {
                    model.layer(l, x, pos, c.layer[l], null, l <= rp.loopEnd() ? rp.depth() : 1);
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
    static void nudge(float[] x, int pos, RecurrentPassSpec rp, boolean sustainedCopy) {
        for (RecurrentPassSpec.Feedback f : rp.feedback()) {
            if (f.position() == pos) {
                add(x, f);
            }
        }
        if (sustainedCopy) {
            for (RecurrentPassSpec.Feedback f : rp.feedback()) {
                add(x, f);
            }
        }
    }

    private static void add(float[] x, RecurrentPassSpec.Feedback f) {
        for (int i = 0; i < x.length; i++) {
            x[i] += f.strength() * f.vector()[i];
        }
    }
}

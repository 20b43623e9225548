package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference semantics, straightforwardly: at every generated token the whole sequence is
 * recomputed from scratch; with a recurrent pass, every position runs the pre-loop layers, the block
 * {@code depth} times (with feedback, each pass after the first restarts from the saved pre-loop
 * state plus the nudges; sustained adds the whole list again at the newest position), then the
 * post-loop layers. No shortcut is taken. The oracle of {@link CachedGenerator}'s tests.
 */
public final class RecomputeGenerator {
    private final TransformerModel model;

    /** @param model the decoder */
    public RecomputeGenerator(TransformerModel model) {
        Checks.notNull("RecomputeGenerator: model", model);
        this.model = model;
    }

    /**
     * @param g the settings (hooks are ignored, as in the reference's recurrent generation)
     * @return the sequence
     */
    public GenerationResult generate(Generation g) {
        Checks.notNull("RecomputeGenerator.generate: the generation", g);
        if ((long) g.prompt().length + g.maxNewTokens() > model.spec().maxSeq() + 1L) {
            // before the quadratic recompute: it would run for minutes before a cache ran out
            throw new UnrollException("prompt (" + g.prompt().length + ") + maxNewTokens (" + g.maxNewTokens() + ") exceeds maxSeq (" + model.spec().maxSeq() + ")");
        }
        TransformerSpec s = model.spec();
        RecurrentPassSpec rp = g.recurrence();
        List<String> warnings = rp == null ? List.of() : rp.validate(s.layers(), g.prompt().length, s.width());
        List<Integer> tokens = new ArrayList<>();
        for (int t : g.prompt()) {
            tokens.add(t);
        }
        List<float[]> logitsList = new ArrayList<>();
        int generated = 0;
        long t0 = System.nanoTime();
        while (generated < g.maxNewTokens()) {
            if (rp != null) {
                rp.validate(s.layers(), tokens.size(), s.width());
            }
            float[] logits = forward(tokens, rp);
            if (g.keepLogits()) {
                logitsList.add(logits.clone());
            }
            int next = g.sampler().sample(logits);
            if (g.stopTokens().contains(next)) {
                break;
            }
            tokens.add(next);
            generated++;
        }
        return new GenerationResult(tokens.stream().mapToInt(Integer::intValue).toArray(), generated, logitsList, System.nanoTime() - t0,
                "recompute", warnings);
    }

    /**
     * One reference step: recomputes every position of the sequence (the cost the reference pays per
     * generated token).
     *
     * @param sequence the tokens so far
     * @param rp the recurrence (validated here), or null
     * @return the logits of the last position
     */
    public float[] lastLogits(int[] sequence, RecurrentPassSpec rp) {
        Checks.notNull("RecomputeGenerator.lastLogits: sequence", sequence);
        if (rp != null) {
            rp.validate(model.spec().layers(), sequence.length, model.spec().width());
        }
        List<Integer> tokens = new ArrayList<>(sequence.length);
        for (int t : sequence) {
            tokens.add(t);
        }
        return forward(tokens, rp);
    }

    /** The logits of the last position after recomputing every position. */
    private float[] forward(List<Integer> tokens, RecurrentPassSpec rp) {
        TransformerSpec s = model.spec();
        int layers = s.layers();
        int len = tokens.size();
        boolean recurrent = rp != null;
        int ls = recurrent ? rp.loopStart() : layers;
        int le = recurrent ? rp.loopEnd() : layers - 1;
        int depth = recurrent ? rp.depth() : 1;
        KvCache[] pre = new KvCache[layers];
        KvCache[][] block = new KvCache[depth][layers];
        for (int l = 0; l < layers; l++) {
            pre[l] = model.newCache();
            for (int p = 0; p < depth; p++) {
                block[p][l] = model.newCache();
            }
        }
        float[] x = new float[s.width()];
        float[] logits = new float[s.vocab()];
        for (int t = 0; t < len; t++) {
            model.embed(tokens.get(t), x);
            for (int l = 0; l < ls; l++) {
                model.layer(l, x, t, pre[l], null, 1);
            }
            if (recurrent) {
                float[] h0 = x.clone();
                for (int l = ls; l <= le; l++) {
                    model.layer(l, x, t, block[0][l], null, 1);
                }
                for (int pass = 2; pass <= depth; pass++) {
                    if (!rp.feedback().isEmpty()) {
                        System.arraycopy(h0, 0, x, 0, x.length);
                        for (RecurrentPassSpec.Feedback f : rp.feedback()) {
                            if (f.position() == t) {
                                f.addTo(x);
                            }
                        }
                        if (rp.sustained() && t == len - 1) {
                            for (RecurrentPassSpec.Feedback f : rp.feedback()) {
                                f.addTo(x);
                            }
                        }
                    }
                    for (int l = ls; l <= le; l++) {
                        model.layer(l, x, t, block[pass - 1][l], null, pass);
                    }
                }
                for (int l = le + 1; l < layers; l++) {
                    model.layer(l, x, t, pre[l], null, 1);
                }
            }
            if (t == len - 1) {
                model.logits(x, t, logits, null);
            }
        }
        return logits;
    }

}

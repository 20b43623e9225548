package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generation with a KV cache ({@link DecodeSession}), exact under every recurrence mode of the
 * reference; proven equal to {@link RecomputeGenerator} in the tests.
 */
public final class CachedGenerator {
    private final TransformerModel model;

    /** @param model the decoder */
    public CachedGenerator(TransformerModel model) {
        this.model = model;
    }

    /**
     * Opens a session for step-by-step decoding (streaming, or measuring one step at a given prefix).
     *
     * @param recurrence the recurrence, or null for the plain forward
     * @param hooks hooks, or null
     * @param promptLength the prompt's length, for the feedback rules
     * @return a fresh session with empty caches
     */
    public DecodeSession open(RecurrentPassSpec recurrence, Hooks hooks, int promptLength) {
        if (recurrence != null) {
            recurrence.validate(model.spec().layers(), promptLength, model.spec().width());
        }
        return new DecodeSession(model, recurrence, hooks);
    }

    /**
     * @param g the settings
     * @return the sequence
     */
    public GenerationResult generate(Generation g) {
        TransformerSpec s = model.spec();
        RecurrentPassSpec rp = g.recurrence();
        List<String> warnings = rp == null ? List.of() : rp.validate(s.layers(), g.prompt().length, s.width());
        int total = g.prompt().length + g.maxNewTokens();
        if (total > s.maxSeq() + 1) {
            throw new UnrollException("prompt (" + g.prompt().length + ") + maxNewTokens (" + g.maxNewTokens() + ") exceeds maxSeq (" + s.maxSeq() + ")");
        }
        DecodeSession session = new DecodeSession(model, rp, g.hooks());
        int[] tokens = new int[total];
        System.arraycopy(g.prompt(), 0, tokens, 0, g.prompt().length);
        int len = g.prompt().length;
        List<float[]> logitsList = new ArrayList<>();
        float[] logits = new float[s.vocab()];
        long t0 = System.nanoTime();
        for (int p = 0; p < len - 1; p++) {
            session.absorb(tokens[p], p);
        }
        int generated = 0;
        while (generated < g.maxNewTokens()) {
            session.next(tokens[len - 1], len - 1, logits);
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
        return new GenerationResult(Arrays.copyOf(tokens, len), generated, logitsList, nanos, session.mode(), warnings);
    }
}

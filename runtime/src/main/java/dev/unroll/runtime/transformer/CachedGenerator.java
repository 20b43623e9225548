package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generation with a KV cache ({@link DecodeRunner}), exact under every recurrence mode of the
 * reference; proven equal to {@link RecomputeGenerator} in the tests. Runs on the backend
 * {@link TransformerRunners} picks (the JVM, or TornadoVM when its runtime and the model's glue are
 * there), or on the one given. Holds no mutable state: one generator may serve several threads, each
 * call with its own runner.
 */
public final class CachedGenerator {
    private final TransformerModel model;
    private final dev.unroll.runtime.backend.Backend backend;

    /** @param model the decoder */
    public CachedGenerator(TransformerModel model) {
        this(model, null);
    }

    /**
     * @param model the decoder
     * @param backend where to run it, or null for the runtime's choice ({@link dev.unroll.runtime.backend.Backend#choose})
     */
    public CachedGenerator(TransformerModel model, dev.unroll.runtime.backend.Backend backend) {
        this.model = Checks.notNull("CachedGenerator: model", model);
        this.backend = backend;
    }

    /**
     * Opens a session for step-by-step decoding (streaming, or measuring one step at a given prefix).
     *
     * @param recurrence the recurrence, or null for the plain forward
     * @param hooks hooks, or null
     * @param promptLength the prompt's length, for the feedback rules
     * @return a fresh runner with empty caches; close it when done
     */
    public DecodeRunner open(RecurrentPassSpec recurrence, Hooks hooks, int promptLength) {
        return open(recurrence, hooks, promptLength, model.spec().maxSeq());
    }

    /**
     * Like {@link #open(RecurrentPassSpec, Hooks, int)} for a generation of known length: the caches
     * hold just {@code positions} positions where the model's layout allows.
     *
     * @param recurrence the recurrence, or null for the plain forward
     * @param hooks hooks, or null
     * @param promptLength the prompt's length, for the feedback rules
     * @param positions positions the generation will use (1 to maxSeq)
     * @return a fresh runner with empty caches; close it when done
     */
    public DecodeRunner open(RecurrentPassSpec recurrence, Hooks hooks, int promptLength, int positions) {
        if (recurrence != null) {
            recurrence.validate(model.spec().layers(), promptLength, model.spec().width());
        }
        if (positions < 1 || positions > model.spec().maxSeq()) {
            throw new UnrollException(positions + " positions: a generation uses 1 to maxSeq (" + model.spec().maxSeq() + ") positions");
        }
        return TransformerRunners.open(model, recurrence, hooks, backend, positions);
    }

    /**
     * @param g the settings
     * @return the sequence
     */
    public GenerationResult generate(Generation g) {
        return generate(g, t -> { });
    }

    /**
     * As {@link #generate(Generation)}, handing each new token to {@code onToken} as soon as it is
     * chosen, before the next step runs, on the calling thread: text can be printed as it is
     * generated. A stop token is not handed over (it is not part of the sequence). What
     * {@code onToken} throws ends the generation and reaches the caller.
     *
     * @param g the settings
     * @param onToken called once per new token, in order
     * @return the sequence (the same tokens, the prompt first)
     */
    public GenerationResult generate(Generation g, java.util.function.IntConsumer onToken) {
        Checks.notNull("CachedGenerator.generate: the generation", g);
        Checks.notNull("CachedGenerator.generate: onToken", onToken);
        TransformerSpec s = model.spec();
        RecurrentPassSpec rp = g.recurrence();
        List<String> warnings = rp == null ? List.of() : rp.validate(s.layers(), g.prompt().length, s.width());
        long total = (long) g.prompt().length + g.maxNewTokens();
        if (total > s.maxSeq() + 1L) {
            throw new UnrollException("prompt (" + g.prompt().length + ") + maxNewTokens (" + g.maxNewTokens() + ") exceeds maxSeq (" + s.maxSeq() + ")");
        }
        // the last token is sampled, never fed back: total - 1 positions
        try (DecodeRunner session = TransformerRunners.open(model, rp, g.hooks(), backend, (int) Math.max(1, total - 1))) {
            return run(g, session, warnings, onToken);
        }
    }

    private GenerationResult run(Generation g, DecodeRunner session, List<String> warnings, java.util.function.IntConsumer onToken) {
        TransformerSpec s = model.spec();
        int total = g.prompt().length + g.maxNewTokens();
        int[] tokens = new int[total];
        System.arraycopy(g.prompt(), 0, tokens, 0, g.prompt().length);
        int len = g.prompt().length;
        List<float[]> logitsList = new ArrayList<>();
        float[] logits = new float[s.vocab()];
        long t0 = System.nanoTime();
        if (len > 1) {
            // every prompt token but the newest, in one call: a generated model prefills them in blocks
            session.absorb(tokens, 0, len - 1, 0);
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
            onToken.accept(next);
        }
        long nanos = System.nanoTime() - t0;
        return new GenerationResult(Arrays.copyOf(tokens, len), generated, logitsList, nanos, session.mode(), warnings);
    }
}

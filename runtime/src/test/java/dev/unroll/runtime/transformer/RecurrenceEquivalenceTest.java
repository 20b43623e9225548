package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KV-cached generator against the recompute-everything reference on stories260K, for every
 * recurrence mode, over 64 generated tokens: identical greedy tokens and logits within 1e-5
 * absolute (the same kernels run on the same rows; only the order in which rows are computed
 * differs, so agreement is in fact exact).
 */
class RecurrenceEquivalenceTest {
    static final int TOKENS = 64;
    static GenericTransformer model;
    static int[] prompt;
    static float[] direction;

    @BeforeAll
    static void load() {
        model = new GenericTransformer(Stories.checkpoint().weights());
        Tokenizer tok = Stories.tokenizer();
        prompt = tok.encode("Once upon a time, there was a little dog named Max.", true, false);
        direction = direction(tok, List.of(" ball", " park", " cat"));
    }

    /** The unit average embedding of words' last sub-tokens, as the reference experiment builds its vectors. */
    static float[] direction(Tokenizer tok, List<String> words) {
        float[] emb = Stories.checkpoint().weights().get("model.embed_tokens.weight");
        float[] v = new float[64];
        for (String w : words) {
            int[] ids = tok.encode(w, false, false);
            int id = ids[ids.length - 1];
            for (int i = 0; i < 64; i++) {
                v[i] += emb[id * 64 + i] / words.size();
            }
        }
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        for (int i = 0; i < 64; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    static Stream<Arguments> modes() {
        int last = prompt.length - 1;
        return Stream.of(
                Arguments.of("iterate 1-3 x2", RecurrentPassSpec.noFeedback(1, 3)),
                Arguments.of("iterate 2-2 x3", RecurrentPassSpec.noFeedback(2, 2).withDepth(3)),
                Arguments.of("prefill feedback 2-4 x2", RecurrentPassSpec.noFeedback(2, 4).addFeedback(last, direction, 2f)),
                Arguments.of("prefill feedback 1-2 x3, two entries", RecurrentPassSpec.noFeedback(1, 2).withDepth(3)
                        .addFeedback(last, direction, 1.5f).addFeedback(3, direction, -1f)),
                Arguments.of("sustained 3-4 x2", RecurrentPassSpec.noFeedback(3, 4).addFeedback(last, direction, 1f).withSustained(true)),
                Arguments.of("sustained 0-4 x3", RecurrentPassSpec.noFeedback(0, 4).withDepth(3).addFeedback(2, direction, 0.5f).withSustained(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void cachedEqualsRecompute(String name, RecurrentPassSpec rp) {
        Generation g = Generation.greedy(prompt, TOKENS).withRecurrence(rp).withStopTokens(java.util.Set.of()).keepingLogits(true);
        GenerationResult cached = new CachedGenerator(model).generate(g);
        GenerationResult recomputed = new RecomputeGenerator(model).generate(g);
        assertEquals(TOKENS, cached.generated());
        assertArrayEquals(recomputed.tokens(), cached.tokens(), name + ": greedy tokens");
        for (int i = 0; i < TOKENS; i++) {
            assertArrayEquals(recomputed.logits().get(i), cached.logits().get(i), 1e-5f, name + ": logits of step " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void oneSessionStepEqualsOneRecomputeStepAndRepeatsExactly(String name, RecurrentPassSpec rp) {
        // The step the benchmark times: the newest token at a given prefix, run again at the same position.
        DecodeRunner session = new CachedGenerator(model).open(rp, null, prompt.length);
        for (int p = 0; p < prompt.length - 1; p++) {
            session.absorb(prompt[p], p);
        }
        float[] first = new float[512];
        float[] again = new float[512];
        session.next(prompt[prompt.length - 1], prompt.length - 1, first);
        session.next(prompt[prompt.length - 1], prompt.length - 1, again);
        assertArrayEquals(first, again, 0f, name + ": a position processed again gives the same logits");
        assertArrayEquals(new RecomputeGenerator(model).lastLogits(prompt, rp), first, 1e-5f, name);
    }

    @Test
    void recurrenceChangesTheModelAndDepthOneIsPlain() {
        Generation plain = Generation.greedy(prompt, 32).withStopTokens(java.util.Set.of()).keepingLogits(true);
        GenerationResult base = new CachedGenerator(model).generate(plain);
        GenerationResult depth1 = new CachedGenerator(model).generate(plain.withRecurrence(RecurrentPassSpec.noFeedback(1, 3).withDepth(1)
                .addFeedback(1, direction, 5f)));
        assertArrayEquals(base.tokens(), depth1.tokens(), "depth 1 ignores feedback");
        assertEquals(List.of("feedback has no effect with depth 1: the block runs once"), depth1.warnings());
        GenerationResult recomputedPlain = new RecomputeGenerator(model).generate(plain);
        assertArrayEquals(base.tokens(), recomputedPlain.tokens());
        GenerationResult iterated = new CachedGenerator(model).generate(plain.withRecurrence(RecurrentPassSpec.noFeedback(1, 3)));
        assertNotEquals(java.util.Arrays.toString(base.logits().get(0)), java.util.Arrays.toString(iterated.logits().get(0)),
                "a double pass changes the function");
    }

    @Test
    void feedbackEqualsOneNudgedPass() {
        // With feedback, depth >= 2 is one pass with the nudge at the block input, whatever the depth.
        int last = prompt.length - 1;
        Generation g = Generation.greedy(prompt, 16).withStopTokens(java.util.Set.of()).keepingLogits(true);
        GenerationResult d2 = new RecomputeGenerator(model).generate(g.withRecurrence(RecurrentPassSpec.noFeedback(2, 3).addFeedback(last, direction, 3f)));
        GenerationResult d5 = new RecomputeGenerator(model).generate(g.withRecurrence(RecurrentPassSpec.noFeedback(2, 3).withDepth(5)
                .addFeedback(last, direction, 3f)));
        assertArrayEquals(d2.tokens(), d5.tokens());
        Hooks steer = new Hooks().add(HookPoint.RESID_PRE, 2, last, scaled(direction, 3f));
        GenerationResult hooked = new CachedGenerator(model).generate(g.withHooks(steer));
        assertArrayEquals(d2.tokens(), hooked.tokens(), "steering at ResidPre(loopStart) is the same model");
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(d2.logits().get(i), hooked.logits().get(i), 1e-5f);
        }
    }

    static float[] scaled(float[] v, float s) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = s * v[i];
        }
        return o;
    }

    @Test
    void validationFollowsTheReferenceOrderAndAddsItsMissingChecks() {
        assertEquals("depth (0) must be >= 1",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(5, 2).withDepth(0).validate(5, 10, 64)).getMessage());
        assertEquals("loopStart (5) must be <= loopEnd (2)",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(5, 2).validate(5, 10, 64)).getMessage());
        assertEquals("loopEnd (5) must be < layers (5)",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(1, 5).validate(5, 10, 64)).getMessage());
        assertEquals("feedback[0].position (10) must be < sequence length (10)",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(1, 2).addFeedback(10, direction, 1f).validate(5, 10, 64)).getMessage());
        assertEquals("feedback[1].position (-1) must be >= 0",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(1, 2).addFeedback(1, direction, 1f).addFeedback(-1, direction, 1f)
                        .validate(5, 10, 64)).getMessage());
        assertEquals("feedback[0].vector has shape [32, 2]: it must be a vector (rank 1) of 64",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(1, 2).addFeedback(1, direction, new long[] {32, 2}, 1f)
                        .validate(5, 10, 64)).getMessage());
        assertEquals("feedback[0].vector has 63 values, model width is 64",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(1, 2).addFeedback(1, new float[63], 1f).validate(5, 10, 64)).getMessage());
        assertEquals("feedback[0].strength (NaN) must be finite",
                assertThrows(UnrollException.class, () -> RecurrentPassSpec.noFeedback(1, 2).addFeedback(1, direction, Float.NaN).validate(5, 10, 64)).getMessage());
        assertEquals(List.of("sustained has no effect without feedback"), RecurrentPassSpec.noFeedback(1, 2).withSustained(true).validate(5, 10, 64));
    }

    @Test
    void hooksCaptureAndReplaceByLayerAndPosition() {
        Hooks h = new Hooks().capture(HookPoint.RESID_POST, 4, Hooks.ANY).capture(HookPoint.FINAL_NORM, Hooks.ANY, Hooks.NEWEST);
        GenerationResult r = new CachedGenerator(model).generate(Generation.greedy(prompt, 4).withHooks(h).withStopTokens(java.util.Set.of()));
        assertTrue(h.captured(HookPoint.RESID_POST, 4, 1, 0) != null, "captured at position 0");
        assertTrue(h.captured(HookPoint.FINAL_NORM, -1, 1, prompt.length + 2) != null, "final norm of the newest token of the last step");
        assertEquals(null, h.captured(HookPoint.FINAL_NORM, -1, 1, 0), "not at an older position");
        // replacing the last layer's MLP output with zeros changes the prediction path but runs
        Hooks zero = new Hooks().replace(HookPoint.MLP_OUT, 4, Hooks.ANY, new float[64]);
        GenerationResult z = new CachedGenerator(model).generate(Generation.greedy(prompt, 4).withHooks(zero).withStopTokens(java.util.Set.of()));
        assertNotEquals(java.util.Arrays.toString(r.tokens()), java.util.Arrays.toString(z.tokens()));
    }
}

package dev.unroll.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.cli.inspect.MethodSizes;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.RecomputeGenerator;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated decoders on stories260K. Greedy text must equal run.c's (the model README's oracle)
 * token for token; logits against the generic engine within 1e-4 absolute (f32, other summation
 * orders in the SIMD flavour; logits are of order 10); the unrolled recurrent forward equal to the
 * composed and the recomputed recurrence (1e-5, exact in the scalar flavour; 1e-4 for SIMD, whose
 * vector exp runs as SVML once compiled and as Math.exp before, one ulp apart).
 */
class GeneratedTransformerTest {
    static TransformerWeights weights;
    static Tokenizer tok;

    @BeforeAll
    static void load() {
        weights = Stories.checkpoint().weights();
        tok = Stories.tokenizer();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void greedyStoryReproducesRunC(Flavour f) {
        TransformerModel m = Stories260KModel.of(weights, f);
        List<String> oracles = Stories.oracles();
        GenerationResult r = new CachedGenerator(m).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256));
        assertTrue(r.mode().contains("generated forward"), r.mode());
        assertEquals(oracles.get(1), tok.decode(r.tokens()));
        GenerationResult r200 = new CachedGenerator(m).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 200));
        assertEquals(oracles.get(0), tok.decode(r200.tokens()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void logitsMatchTheGenericEngine(Flavour f) {
        int[] prompt = tok.encode("Tom had a red kite. One day", true, false);
        Generation g = Generation.greedy(prompt, 48).keepingLogits(true).withStopTokens(Set.of());
        GenerationResult gen = new CachedGenerator(Stories260KModel.of(weights, f)).generate(g);
        GenerationResult ref = new CachedGenerator(new GenericTransformer(weights)).generate(g);
        assertArrayEquals(ref.tokens(), gen.tokens());
        for (int i = 0; i < 48; i++) {
            assertArrayEquals(ref.logits().get(i), gen.logits().get(i), 1e-4f, "step " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void unrolledRecurrentForwardEqualsComposedAndRecomputed(Flavour f) {
        TransformerModel looped = Stories260KLoopedModel.of(weights, f);
        int[] prompt = tok.encode("Lily and Ben went to the park", true, false);
        Generation g = Generation.greedy(prompt, 64).keepingLogits(true).withStopTokens(Set.of())
                .withRecurrence(RecurrentPassSpec.noFeedback(1, 3));
        GenerationResult unrolled = new CachedGenerator(looped).generate(g);
        assertTrue(unrolled.mode().contains("generated forward"), unrolled.mode());
        TransformerModel plainGenerated = Stories260KModel.of(weights, f);
        GenerationResult composed = new CachedGenerator(plainGenerated).generate(g);
        GenerationResult recomputed = new RecomputeGenerator(plainGenerated).generate(g);
        assertArrayEquals(recomputed.tokens(), unrolled.tokens());
        assertArrayEquals(composed.tokens(), unrolled.tokens());
        // scalar: exact; SIMD: its EXP is SVML once compiled and Math.exp before, one ulp apart
        float tol = f == Flavour.SCALAR ? 1e-5f : 1e-4f;
        for (int i = 0; i < 64; i++) {
            assertArrayEquals(recomputed.logits().get(i), unrolled.logits().get(i), tol, "step " + i);
            assertArrayEquals(composed.logits().get(i), unrolled.logits().get(i), tol, "step " + i);
        }
    }

    @Test
    void halfSplitRopeModelGivesTheSameStory() {
        TransformerModel hf = Stories260KHalfSplitModel.of(weights.withRope(RopeLayout.HALF_SPLIT));
        GenerationResult r = new CachedGenerator(hf).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 200));
        assertEquals(Stories.oracles().get(0), tok.decode(r.tokens()));
    }

    @Test
    void loadsTheLlama2cCheckpointAndRejectsAMismatch() {
        assertEquals(Stories260KModel.SPEC, Stories260KModel.loadLlama2c(TestData.fixture("models/stories260K/stories260K.bin")).spec());
        UnrollException e = assertThrows(UnrollException.class,
                () -> Stories260KHalfSplitModel.loadLlama2c(TestData.fixture("models/stories260K/stories260K.bin")));
        assertTrue(e.getMessage().contains("the checkpoint holds"), e.getMessage());
    }

    @Test
    void everyGeneratedMethodStaysUnderTheJitLimit() throws Exception {
        for (String base : List.of("Stories260K", "Stories260KLooped", "Stories260KHalfSplit", "Stories260KBf16", "Stories260KQ8", "Stories260KQ4")) {
            for (String suffix : List.of("Kernels", "SimdKernels", "Model")) {
                Class<?> c = Class.forName("dev.unroll.examples.transformer." + base + suffix);
                for (Map.Entry<String, Integer> m : MethodSizes.of(c).entrySet()) {
                    assertTrue(m.getValue() < MethodSizes.HUGE_METHOD_LIMIT, c.getSimpleName() + "." + m.getKey() + ": " + m.getValue());
                }
            }
        }
    }

    /** A model is shared: threads generating at once each get the tokens a lone generation gets. */
    @Test
    void oneModelServesConcurrentGenerations() throws Exception {
        TransformerModel m = Stories260KLoopedModel.of(weights);
        Generation g = Generation.greedy(new int[] {Tokenizer.BOS}, 96).withRecurrence(RecurrentPassSpec.noFeedback(1, 3));
        int[] alone = new CachedGenerator(m).generate(g).tokens();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<int[]>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> new CachedGenerator(m).generate(g).tokens()));
            }
            for (java.util.concurrent.Future<int[]> r : runs) {
                assertArrayEquals(alone, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

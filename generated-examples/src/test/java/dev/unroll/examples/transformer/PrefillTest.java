package dev.unroll.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prefill (a prompt in blocks, its projections and MLP as GEMMs) against the same prompt token by
 * token, on stories260K in every weight format, with and without a recurrent block: the scalar
 * flavour gives the same bits (each element of its GEMMs is the matrix-vector product's dot
 * product); the SIMD flavour agrees within 2e-4 absolute on logits of order 10 (FMA tiles against
 * the matrix-vector kernels' order), and so do the caches it leaves, which the next token reads.
 */
class PrefillTest {
    static TransformerWeights weights;

    @BeforeAll
    static void load() {
        weights = Stories.checkpoint().weights();
    }

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        List<Object[]> models = List.of(
                new Object[] {"F32", (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KModel::of},
                new Object[] {"BF16", (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KBf16Model::of},
                new Object[] {"Q8", (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KQ8Model::of},
                new Object[] {"Q4", (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KQ4Model::of},
                new Object[] {"looped F32", (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KLoopedModel::of});
        for (Flavour f : Tolerance.flavours()) {
            for (Object[] m : models) {
                out.add(Arguments.of(m[0], f, m[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void prefillEqualsTokenByToken(String name, Flavour f, BiFunction<TransformerWeights, Flavour, TransformerModel> factory) {
        TransformerModel m = factory.apply(weights, f);
        int vocab = m.spec().vocab();
        // 300 tokens: two full blocks of 128 and a partial one; then a second prefill continues at 300
        int[] prompt = new Random(7).ints(310, 1, vocab).toArray();
        KvCache[] byToken = Caches.of(m);
        float[] expected = new float[vocab];
        float[] x = new float[m.spec().width()];
        for (int p = 0; p < 300; p++) {
            m.forwardToken(prompt[p], p, byToken, x, expected, null);
        }
        KvCache[] blocked = Caches.of(m);
        float[] actual = new float[vocab];
        m.prefill(prompt, 0, 300, 0, blocked, actual, null);
        float tol = f == Flavour.SCALAR ? 0f : 2e-4f;
        assertArrayEquals(expected, actual, tol, name + " " + f + ": logits after 300 tokens");
        for (int c = 0; c < byToken.length; c++) {
            for (int i = 0; i < byToken[c].k.length; i++) {
                if (i % m.spec().maxSeq() >= 300) {
                    continue;
                }
                assertEquals(byToken[c].k[i], blocked[c].k[i], tol, name + " " + f + ": key cache " + c + " element " + i);
                assertEquals(byToken[c].v[i], blocked[c].v[i], tol, name + " " + f + ": value cache " + c + " element " + i);
            }
        }
        // a second prompt piece, from the middle of the array, continues the first
        for (int p = 300; p < 310; p++) {
            m.forwardToken(prompt[p], p, byToken, x, expected, null);
        }
        m.prefill(prompt, 300, 10, 300, blocked, actual, null);
        assertArrayEquals(expected, actual, 2 * tol, name + " " + f + ": logits after a second prefill");
    }

    @Test
    void badArgumentsAreNamedAndChangeNothing() {
        TransformerModel m = Stories260KModel.of(weights, Flavour.SCALAR);
        KvCache[] c = Caches.of(m);
        int[] t = {1, 2, 3};
        float[] logits = new float[m.spec().vocab()];
        assertMessage(() -> m.prefill(null, 0, 1, 0, c, logits, null), "tokens: null");
        assertMessage(() -> m.prefill(t, 0, 0, 0, c, logits, null), "count = 0");
        assertMessage(() -> m.prefill(t, 2, 2, 0, c, logits, null), "tokens[2 .. 4) is outside tokens[0 .. 3)");
        assertMessage(() -> m.prefill(t, -1, 1, 0, c, logits, null), "tokens[-1 .. 0)");
        assertMessage(() -> m.prefill(t, 0, 3, 510, c, logits, null), "positions 510 .. 512 are outside the KV cache [0, 512)");
        assertMessage(() -> m.prefill(t, 0, 3, -1, c, logits, null), "positions -1 .. 1");
        assertMessage(() -> m.prefill(new int[] {1, 512}, 0, 2, 0, c, logits, null), "tokens[1] = 512 is outside the vocabulary [0, 512)");
        assertMessage(() -> m.prefill(t, 0, 3, 0, new KvCache[2], logits, null), "caches: expected 5");
        assertMessage(() -> m.prefill(t, 0, 3, 0, new KvCache[5], logits, null), "caches[0]: null");
        assertMessage(() -> m.prefill(t, 0, 3, 0, c, new float[3], null), "logits: expected length 512, got 3");
        for (KvCache k : c) {
            for (float v : k.k) {
                assertEquals(0f, v, "a rejected prefill wrote a cache");
            }
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        UnrollException e = assertThrows(UnrollException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

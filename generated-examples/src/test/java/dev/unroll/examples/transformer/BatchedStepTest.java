package dev.unroll.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several sequences stepping together ({@code forwardTokens}: one token each, each at its own
 * position in its own caches) against one {@code forwardToken} per sequence, on stories260K: the
 * scalar flavour gives the same bits, the SIMD flavour agrees within 2e-4 on logits of order 10;
 * and again after ten batched steps, which read the caches earlier batched steps wrote.
 */
class BatchedStepTest {
    static TransformerWeights weights;

    @BeforeAll
    static void load() {
        weights = Stories.checkpoint().weights();
    }

    static Stream<Arguments> models() {
        return Tolerance.flavours().stream().flatMap(f -> Stream.of(
                Arguments.of("F32", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KModel::of),
                Arguments.of("Q8", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KQ8Model::of),
                Arguments.of("Q4", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KQ4Model::of),
                Arguments.of("looped", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KLoopedModel::of)));
    }

    /** A batch of one sequence runs the token path: the bits of forwardToken, in both flavours. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void aBatchOfOneIsTheTokenPath(String name, Flavour f, BiFunction<TransformerWeights, Flavour, TransformerModel> factory) {
        TransformerModel m = factory.apply(weights, f);
        KvCache[] one = Caches.of(m);
        KvCache[][] batch = {Caches.of(m)};
        float[] x = new float[m.spec().width()];
        int token = 1;
        for (int pos = 0; pos < 12; pos++) {
            float[] expected = new float[m.spec().vocab()];
            float[][] actual = new float[1][m.spec().vocab()];
            m.forwardToken(token, pos, one, x, expected, null);
            m.forwardTokens(new int[] {token}, new int[] {pos}, batch, actual);
            assertArrayEquals(expected, actual[0], name + " " + f + ": position " + pos);
            token = 1 + (token * 31 + pos) % (m.spec().vocab() - 1);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void batchedStepsEqualOneSequenceAtATime(String name, Flavour f, BiFunction<TransformerWeights, Flavour, TransformerModel> factory) {
        TransformerModel m = factory.apply(weights, f);
        // 2 rows: a short 4-vector tile; 7 and 8: the SIMD GEMM's one-pass tiles of a few rows
        for (int n : new int[] {2, 7, 8}) {
            int vocab = m.spec().vocab();
            Random r = new Random(3);
            KvCache[][] one = new KvCache[n][];
            KvCache[][] batch = new KvCache[n][];
            int[] pos = new int[n];
            float[] x = new float[m.spec().width()];
            float[] scratch = new float[vocab];
            for (int s = 0; s < n; s++) {
                one[s] = Caches.of(m);
                batch[s] = Caches.of(m);
                pos[s] = s * 9;
                // each sequence's history, token by token into both sets of caches
                for (int p = 0; p < pos[s]; p++) {
                    int t = 1 + r.nextInt(vocab - 1);
                    m.forwardToken(t, p, one[s], x, scratch, null);
                    m.forwardToken(t, p, batch[s], x, scratch, null);
                }
            }
            float tol = f == Flavour.SCALAR ? 0f : 2e-4f;
            for (int step = 0; step < 10; step++) {
                int[] tokens = r.ints(n, 1, vocab).toArray();
                float[][] expected = new float[n][vocab];
                float[][] actual = new float[n][vocab];
                for (int s = 0; s < n; s++) {
                    m.forwardToken(tokens[s], pos[s], one[s], x, expected[s], null);
                }
                m.forwardTokens(tokens, pos.clone(), batch, actual);
                for (int s = 0; s < n; s++) {
                    assertArrayEquals(expected[s], actual[s], tol, name + " " + f + ", " + n + " sequences: step " + step + ", sequence " + s);
                    pos[s]++;
                }
            }
        }
    }

    @Test
    void badBatchesAreNamed() {
        TransformerModel m = Stories260KModel.of(weights, Flavour.SCALAR);
        KvCache[] a = Caches.of(m);
        KvCache[] b = Caches.of(m);
        float[][] logits = {new float[512], new float[512]};
        assertMessage(() -> m.forwardTokens(new int[] {1, 2}, new int[] {0, 0}, new KvCache[][] {a, a}, logits), "each sequence needs its own");
        assertMessage(() -> m.forwardTokens(new int[] {1, 2}, new int[] {0}, new KvCache[][] {a, b}, logits), "one entry per sequence");
        assertMessage(() -> m.forwardTokens(new int[0], new int[0], new KvCache[0][], new float[0][]), "at least one sequence");
        assertMessage(() -> m.forwardTokens(new int[] {1, 600}, new int[] {0, 0}, new KvCache[][] {a, b}, logits), "tokens[1] = 600");
        assertMessage(() -> m.forwardTokens(new int[] {1, 2}, new int[] {0, 512}, new KvCache[][] {a, b}, logits), "positions[1] = 512");
        assertMessage(() -> m.forwardTokens(new int[] {1, 2}, new int[] {0, 0}, new KvCache[][] {a, new KvCache[1]}, logits), "caches[1]: expected 5");
        assertMessage(() -> m.forwardTokens(new int[] {1, 2}, new int[] {0, 0}, new KvCache[][] {a, b}, new float[][] {new float[512], null}),
                "logits[1]: expected length 512, got null");
        assertMessage(() -> m.forwardTokens(null, new int[] {0}, new KvCache[][] {a}, logits), "tokens: null");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        UnrollException e = assertThrows(UnrollException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

package dev.unroll.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.examples.hf.TinyQwen2Model;
import dev.unroll.examples.hf.TinyQwen3WideModel;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One token's products split over threads ({@code -Dunroll.decodeParts}) give the bits of the
 * unsplit forward, in both flavours and every weight format: each row is summed as one thread sums
 * it, whichever part it falls in. {@code SplitLm*} (every matrix several panels, the last one
 * partial) is cut into 2 and 3 parts, stories260K into 3 (its 64-wide matrices leave two parts
 * empty, its feed-forward and classifier are cut inside); 24 positions, so attention reads what the
 * split steps cached. Batches of sequences split the same way, with two Qwen shapes besides.
 */
class DecodePartsTest {
    private static final int POSITIONS = 24;

    static Stream<Arguments> models() {
        Supplier<TransformerWeights> split = () -> TransformerWeights.seeded(SplitLmModel.SPEC);
        Supplier<TransformerWeights> stories = () -> Stories.checkpoint().weights();
        return Tolerance.flavours().stream().flatMap(f -> Stream.of(
                Arguments.of("SplitLm", f, split, (BiFunction<TransformerWeights, Flavour, TransformerModel>) SplitLmModel::of, 2),
                Arguments.of("SplitLm", f, split, (BiFunction<TransformerWeights, Flavour, TransformerModel>) SplitLmModel::of, 3),
                Arguments.of("SplitLmBf16", f, split, (BiFunction<TransformerWeights, Flavour, TransformerModel>) SplitLmBf16Model::of, 3),
                Arguments.of("SplitLmQ8", f, split, (BiFunction<TransformerWeights, Flavour, TransformerModel>) SplitLmQ8Model::of, 3),
                Arguments.of("SplitLmQ4", f, split, (BiFunction<TransformerWeights, Flavour, TransformerModel>) SplitLmQ4Model::of, 3),
                Arguments.of("Stories260K", f, stories, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KModel::of, 3),
                Arguments.of("Stories260KLooped", f, stories, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Stories260KLoopedModel::of, 3)));
    }

    @ParameterizedTest(name = "{0} {1} in {4} parts")
    @MethodSource("models")
    void aSplitForwardGivesTheBitsOfTheWholeOne(String name, Flavour f, Supplier<TransformerWeights> weights,
            BiFunction<TransformerWeights, Flavour, TransformerModel> factory, int parts) {
        TransformerModel[] models = wholeAndSplit(weights, factory, f, parts);
        TransformerModel whole = models[0];
        TransformerModel split = models[1];
        TransformerSpec spec = whole.spec();
        KvCache[] a = Caches.of(whole);
        KvCache[] b = Caches.of(split);
        float[] x = new float[spec.width()];
        float[] expected = new float[spec.vocab()];
        float[] actual = new float[spec.vocab()];
        int token = 1;
        for (int pos = 0; pos < POSITIONS; pos++) {
            whole.forwardToken(token, pos, a, x, expected, null);
            split.forwardToken(token, pos, b, x, actual, null);
            assertArrayEquals(expected, actual, name + " " + f + " in " + parts + " parts, position " + pos);
            token = argmax(expected);
        }
    }

    /** The models above, and two Qwen shapes: q and k head norms with queries two panels wide (QD 128, D 64), and q, k, v biases. */
    static Stream<Arguments> batchModels() {
        Supplier<TransformerWeights> wide = () -> TransformerWeights.seeded(TinyQwen3WideModel.SPEC, 7);
        Supplier<TransformerWeights> biased = () -> TransformerWeights.seeded(TinyQwen2Model.SPEC, 7);
        return Stream.concat(models(), Tolerance.flavours().stream().flatMap(f -> Stream.of(
                Arguments.of("TinyQwen3Wide", f, wide, (BiFunction<TransformerWeights, Flavour, TransformerModel>) TinyQwen3WideModel::of, 2),
                Arguments.of("TinyQwen3Wide", f, wide, (BiFunction<TransformerWeights, Flavour, TransformerModel>) TinyQwen3WideModel::of, 3),
                Arguments.of("TinyQwen2", f, biased, (BiFunction<TransformerWeights, Flavour, TransformerModel>) TinyQwen2Model::of, 2))));
    }

    /**
     * A batch of sequences split by the weights' panels ({@code layerBatch}, {@code classifyBatch})
     * gives the bits of the unsplit batch: 7 sequences (a 6-row tile and a row left) and 13 (the
     * classifier's second group of rows starts at row 8) at staggered positions, 6 steps.
     */
    @ParameterizedTest(name = "{0} {1} batch in {4} parts")
    @MethodSource("batchModels")
    void aSplitBatchGivesTheBitsOfTheWholeOne(String name, Flavour f, Supplier<TransformerWeights> weights,
            BiFunction<TransformerWeights, Flavour, TransformerModel> factory, int parts) {
        TransformerModel[] models = wholeAndSplit(weights, factory, f, parts);
        TransformerModel whole = models[0];
        TransformerModel split = models[1];
        for (int n : new int[] {7, 13}) {
            splitBatch(name + " " + f + " in " + parts + " parts, " + n + " sequences", whole, split, n);
        }
    }

    private static void splitBatch(String what, TransformerModel whole, TransformerModel split, int n) {
        int vocab = whole.spec().vocab();
        KvCache[][] a = new KvCache[n][];
        KvCache[][] b = new KvCache[n][];
        int[] pos = new int[n];
        for (int s = 0; s < n; s++) {
            a[s] = Caches.of(whole);
            b[s] = Caches.of(split);
            pos[s] = 3 * s;
        }
        float[][] expected = new float[n][vocab];
        float[][] actual = new float[n][vocab];
        int[] tokens = new int[n];
        for (int step = 0; step < 6; step++) {
            for (int s = 0; s < n; s++) {
                tokens[s] = 1 + (step * 31 + s * 7) % (vocab - 1);
            }
            whole.forwardTokens(tokens, pos.clone(), a, expected);
            split.forwardTokens(tokens, pos.clone(), b, actual);
            for (int s = 0; s < n; s++) {
                assertArrayEquals(expected[s], actual[s], what + ": step " + step + ", sequence " + s);
                pos[s]++;
            }
        }
    }

    @Test
    void thePropertiesAreCheckedWhereTheModelIsBuilt() {
        TransformerWeights w = TransformerWeights.seeded(SplitLmModel.SPEC);
        for (String bad : new String[] {"0", "65", "two", ""}) {
            UnrollException e = assertThrows(UnrollException.class, () -> withProperty("unroll.decodeParts", bad, () -> SplitLmModel.of(w, Flavour.SCALAR)));
            assertTrue(e.getMessage().contains("-Dunroll.decodeParts=" + bad + ": the parts one token's products are cut into must be a whole number in [1, 64]"),
                    e.getMessage());
        }
        for (String bad : new String[] {"-1", "4MiB", "", "9223372036854775808"}) {
            UnrollException e = assertThrows(UnrollException.class, () -> withProperty("unroll.decodeSplitBytes", bad,
                    () -> SplitLmModel.of(w, Flavour.SCALAR)));
            assertTrue(e.getMessage().contains("-Dunroll.decodeSplitBytes=" + bad + ": bytes of matrices from which a token's products split must be "
                    + "a whole number in [0, 9223372036854775807]"), e.getMessage());
        }
    }

    @Test
    void smallModelsDecodeOnOneThreadLargeOnesOnAll() {
        // stories260K's matrices (about 1 MB) are below the threshold; a model past it gets every thread
        TransformerWeights w = Stories.checkpoint().weights();
        assertEquals(1, ((GeneratedTransformer) Stories260KModel.of(w, Flavour.SCALAR)).decodeParts());
        String old = System.getProperty("unroll.decodeSplitBytes");
        System.setProperty("unroll.decodeSplitBytes", "1000");
        try {
            int threads = Math.max(1, Integer.getInteger("unroll.threads", Runtime.getRuntime().availableProcessors()));
            assertEquals(threads, ((GeneratedTransformer) Stories260KModel.of(w, Flavour.SCALAR)).decodeParts());
        } finally {
            restore("unroll.decodeSplitBytes", old);
        }
    }

    /** The model unsplit and cut into {@code parts} parts, on the same weights, each part count checked. */
    private static TransformerModel[] wholeAndSplit(Supplier<TransformerWeights> weights, BiFunction<TransformerWeights, Flavour, TransformerModel> factory,
            Flavour f, int parts) {
        TransformerWeights w = weights.get();
        TransformerModel whole = withParts(1, () -> factory.apply(w, f));
        TransformerModel split = withParts(parts, () -> factory.apply(w, f));
        assertEquals(1, ((GeneratedTransformer) whole).decodeParts());
        assertEquals(parts, ((GeneratedTransformer) split).decodeParts());
        return new TransformerModel[] {whole, split};
    }

    private static TransformerModel withParts(int parts, Supplier<TransformerModel> build) {
        return withProperty("unroll.decodeParts", Integer.toString(parts), build);
    }

    private static TransformerModel withProperty(String key, String value, Supplier<TransformerModel> build) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return build.get();
        } finally {
            restore(key, old);
        }
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }


    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}

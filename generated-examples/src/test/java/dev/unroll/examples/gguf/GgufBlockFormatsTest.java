package dev.unroll.examples.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.examples.transformer.Stories260KModels;
import dev.unroll.examples.transformer.Stories260KQ4Model;
import dev.unroll.examples.transformer.Stories260KQ8Model;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.gguf.GgufFile;
import dev.unroll.runtime.gguf.GgufModel;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GGUF files quantised by llama.cpp's own {@code llama_model_quantize} ({@code data/gguf}) on the
 * generated models of the same block format: the matrices the file stores in that format keep its codes
 * and scales (nothing widened and quantised again; {@code GgufModelTest} shows Unroll's quantisers give
 * the same blocks), and the kernels compute the generic engine's function of the values the format
 * stores within 1e-4, in both flavours.
 */
class GgufBlockFormatsTest {
    /**
     * A file entirely in Q4_0 (every matrix, the tied embedding included) runs on the Q4 model as it is:
     * the generic engine's logits on the file's values, and llama.cpp's on the same file within what
     * llama.cpp's Q8_0 rounding of the activations costs (measured 5.0e-3 of logits of order 0.3, in
     * both flavours; bound 1e-2; a code read from the wrong nibble moves logits by their own size), every
     * argmax equal.
     */
    @Test
    void aFileAllInQ4RunsOnTheQ4ModelAsItIsAndGivesLlamaCppsLogits() {
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/tiny-blocks-q4_0.gguf"))) {
            TransformerSpec spec = GgufModel.spec(f);
            assertEquals(TinyBlocksQ4Model.SPEC, spec);
            TransformerWeights w = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
                if (e.getValue().length == 2) {
                    assertSame(WeightFormat.Q4, w.blockCodes(e.getKey()).format(), e.getKey() + " is kept as the file's codes");
                }
            }
            GenericTransformer ref = new GenericTransformer(w);
            for (Flavour fl : Tolerance.flavours()) {
                GeneratedTransformer m = TinyBlocksQ4Model.of(w, fl);
                assertSameLogits(ref, m, 40, "tiny-blocks " + fl);
                HfReference.Comparison c = HfReference.compare(m, TestData.fixture("gguf/tiny-blocks-q4_0-llamacpp-logits.json"));
                System.out.printf("tiny-blocks Q4 %s against llama.cpp: %s%n", fl, c);
                assertTrue(c.worst() <= 1e-2 && c.argmaxMisses() == 0, "tiny-blocks " + fl + " against llama.cpp: " + c);
            }
        }
    }

    /**
     * stories260K's files, where llama.cpp kept some matrices out of the file's block format (the down
     * projections' rows of 172 are not whole blocks: F16; a Q4_0 file's embedding is Q8_0): the model of
     * the file's format keeps the blocks it can and quantises the rest, computing exactly the function
     * of the values it stores; the Q8 model stays within 0.15 of llama.cpp's logits on the file (as the
     * generic engine on the file's values: measured 0.129), at most one argmax of 12 different.
     */
    @ParameterizedTest
    @CsvSource({"q8_0, Q8", "q4_0, Q4"})
    void aMixedFileKeepsItsBlocksAndQuantisesTheRest(String type, WeightFormat format) {
        BiFunction<TransformerWeights, Flavour, GeneratedTransformer> make = format == WeightFormat.Q8 ? Stories260KQ8Model::of : Stories260KQ4Model::of;
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/stories260K-" + type + ".gguf"))) {
            TransformerSpec spec = GgufModel.spec(f);
            TransformerWeights w = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            String q = "model.layers.0.self_attn.q_proj.weight";
            assertSame(format, w.blockCodes(q).format(), "the file's " + q + " is kept as its codes");
            // a block packs again to itself: storedAs keeps the file's blocks and quantises the rest
            GenericTransformer ref = new GenericTransformer(w.storedAs(format));
            for (Flavour fl : Tolerance.flavours()) {
                GeneratedTransformer m = make.apply(w, fl);
                assertSameLogits(ref, m, 24, type + " " + fl);
                if (format == WeightFormat.Q8) {
                    HfReference.Comparison c = HfReference.compare(m, TestData.fixture("gguf/stories260K-" + type + "-llamacpp-logits.json"));
                    assertTrue(c.worst() <= 0.15 && c.argmaxMisses() <= 1, type + " " + fl + " against llama.cpp: " + c);
                }
            }
        }
    }

    /**
     * A model built from a file read on demand ({@link TransformerWeights#onDemand}: each matrix not
     * kept as its blocks read a chunk of rows at a time) computes exactly what the model built from the
     * same file read at load computes, in every format and flavour: Q8_0, Q4_0 and F16 rows widened
     * alone, and quantised or widened into panels chunk by chunk.
     */
    @ParameterizedTest
    @CsvSource({"q8_0", "q4_0"})
    void aModelReadOnDemandIsTheModelReadAtLoad(String type) {
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/stories260K-" + type + ".gguf"))) {
            TransformerSpec spec = GgufModel.spec(f);
            TransformerWeights loaded = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            TransformerWeights lazy = TransformerWeights.onDemand(spec, GgufModel.tensors(f, spec));
            assertTrue(lazy.readsRows(), "a GGUF file reads rows alone");
            for (WeightFormat format : WeightFormat.values()) {
                BiFunction<TransformerWeights, Flavour, GeneratedTransformer> make = Stories260KModels.of(format);
                for (Flavour fl : Tolerance.flavours()) {
                    assertExactlySameLogits(make.apply(loaded, fl), make.apply(lazy, fl), 12, type + " file, " + format + " model, " + fl);
                }
            }
        }
    }

    private static void assertExactlySameLogits(TransformerModel want, TransformerModel got, int positions, String what) {
        KvCache[] a = caches(want);
        KvCache[] b = caches(got);
        float[] x = new float[want.spec().width()];
        float[] l1 = new float[want.spec().vocab()];
        float[] l2 = new float[want.spec().vocab()];
        for (int p = 0; p < positions; p++) {
            int token = (p * 37 + 1) % want.spec().vocab();
            want.forwardToken(token, p, a, x, l1, null);
            got.forwardToken(token, p, b, x, l2, null);
            assertArrayEquals(l1, l2, what + " position " + p);
        }
    }

    private static KvCache[] caches(TransformerModel m) {
        KvCache[] c = new KvCache[m.forwardCaches()];
        for (int i = 0; i < c.length; i++) {
            c[i] = m.newCache();
        }
        return c;
    }

    /** Teacher-forced logits of two decoders over the first positions of a fixed token stream. */
    private static void assertSameLogits(TransformerModel want, TransformerModel got, int positions, String what) {
        int vocab = want.spec().vocab();
        KvCache[] a = caches(want);
        KvCache[] b = caches(got);
        float[] x = new float[want.spec().width()];
        float[] l1 = new float[vocab];
        float[] l2 = new float[vocab];
        for (int p = 0; p < positions; p++) {
            int token = (p * 37 + 1) % vocab;
            want.forwardToken(token, p, a, x, l1, null);
            got.forwardToken(token, p, b, x, l2, null);
            assertArrayEquals(l1, l2, 1e-4f, what + " position " + p);
        }
    }
}

package dev.unroll.runtime.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GGUF files that llama.cpp's own {@code llama_model_quantize} made from stories260K ({@code data/gguf},
 * with their origin): the descriptor the metadata describes; every tensor within its format's rounding
 * of the checkpoint's F32 weights (a Q8_0 block within one step, amax / 127, of the original; a Q4_0
 * block within one step, amax / 8; F16 within 2^-10 relative), which a block or nibble read in the wrong
 * order would miss by far; and llama.cpp's logits on the same file within what its quantised
 * activations cost (llama.cpp rounds each activation row to Q8_0 before a Q8_0 or Q4_0 product; Unroll
 * multiplies the dequantised weights in F32): 0.129 (Q8_0) and 0.122 (Q4_0) of max(1, |logit|) measured, with
 * one of the 12 positions' argmax different for Q8_0. On the F32 file the two agree within 1e-4
 * ({@code bench}'s {@code GgufLlamaCppTest}).
 */
class GgufModelTest {
    @ParameterizedTest
    @CsvSource({"q8_0, 0.15, 1", "q4_0, 0.15, 1"})
    void llamaCppsQuantisedFilesReadAsTheCheckpointTheyCameFrom(String type, double tolerance, int argmaxMisses) {
        TransformerWeights original = Stories.checkpoint().weights();
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/stories260K-" + type + ".gguf"))) {
            TransformerSpec spec = GgufModel.spec(f);
            assertEquals(original.spec(), spec);
            TransformerWeights w = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            for (String name : TransformerWeights.shapes(spec).keySet()) {
                withinRounding(original.get(name), w.get(name), f.tensor(GgufModel.ggufName(name)).type(), type + " " + name);
            }
            if (type.equals("q8_0")) {
                // Q8 stores blocks as Q8_0 does: llama.cpp's blocks pack again to the same values, nothing requantised
                for (java.util.Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
                    if (f.tensor(GgufModel.ggufName(e.getKey())).type() == GgmlType.Q8_0) {
                        assertArrayEquals(w.get(e.getKey()), dev.unroll.runtime.weights.CompactFormats.stored(dev.unroll.annotations.WeightFormat.Q8, w.get(e.getKey()),
                                (int) e.getValue()[0], (int) e.getValue()[1]), e.getKey() + " packed again as Q8");
                    }
                }
            }
            HfReference.Comparison c = HfReference.compare(new GenericTransformer(w), TestData.fixture("gguf/stories260K-" + type + "-llamacpp-logits.json"));
            assertTrue(c.worst() <= tolerance && c.argmaxMisses() <= argmaxMisses, type + " against llama.cpp: " + c);
        }
    }

    /**
     * Unroll's Q8 and Q4 quantisers are ggml's: quantising the checkpoint's F32 weights gives, block by
     * block, the codes and binary16 scales llama.cpp's {@code llama_model_quantize} wrote (every Q8_0 and
     * Q4_0 tensor of the files, bit for bit), and a tensor read as codes is those codes, not requantised.
     */
    @ParameterizedTest
    @CsvSource({"q8_0, Q8", "q4_0, Q4"})
    void quantisingTheCheckpointGivesLlamaCppsBlocks(String type, dev.unroll.annotations.WeightFormat format) {
        TransformerWeights original = Stories.checkpoint().weights();
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/stories260K-" + type + ".gguf"))) {
            TransformerSpec spec = GgufModel.spec(f);
            TransformerWeights read = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            java.util.Map<dev.unroll.annotations.WeightFormat, Integer> checked = new java.util.TreeMap<>();
            for (java.util.Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
                dev.unroll.runtime.weights.BlockCodes file = f.blockCodes(GgufModel.ggufName(e.getKey()));
                if (file == null) {
                    assertEquals(null, read.blockCodes(e.getKey()), e.getKey() + " is not stored in blocks");
                    continue;
                }
                dev.unroll.runtime.weights.BlockCodes ours = dev.unroll.runtime.weights.BlockCodes.quantise(e.getKey(), file.format(), original.get(e.getKey()),
                        (int) e.getValue()[0], (int) e.getValue()[1]);
                assertArrayEquals(file.codes(), ours.codes(), type + " " + e.getKey() + ": codes");
                assertArrayEquals(file.scales(), ours.scales(), type + " " + e.getKey() + ": scales");
                assertArrayEquals(file.codes(), read.blockCodes(e.getKey()).codes(), e.getKey() + ": loaded as the file's codes");
                assertArrayEquals(file.values(), read.get(e.getKey()), e.getKey() + ": widened on demand");
                checked.merge(file.format(), 1, Integer::sum);
            }
            // llama.cpp keeps the feed-forward's down projections (172 columns: not whole blocks) out of
            // blocks, and stores the embedding of a Q4_0 file as Q8_0
            assertEquals(format == dev.unroll.annotations.WeightFormat.Q8 ? java.util.Map.of(format, 31) : java.util.Map.of(format, 30,
                    dev.unroll.annotations.WeightFormat.Q8, 1), checked, type);
        }
    }

    /**
     * Weights read on demand from an open file are the loaded ones, tensor for tensor (a Q4_0 matrix as
     * the same codes), none in memory until asked for; a file that lacks a tensor is refused at once.
     */
    @Test
    void weightsReadOnDemandAreTheLoadedOnes() {
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/stories260K-q4_0.gguf"))) {
            TransformerSpec spec = GgufModel.spec(f);
            TransformerWeights loaded = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            TransformerWeights lazy = TransformerWeights.onDemand(spec, GgufModel.tensors(f, spec));
            org.junit.jupiter.api.Assertions.assertFalse(lazy.isResident());
            for (String name : TransformerWeights.shapes(spec).keySet()) {
                assertArrayEquals(loaded.get(name), lazy.get(name), name);
                dev.unroll.runtime.weights.BlockCodes a = loaded.blockCodes(name);
                dev.unroll.runtime.weights.BlockCodes b = lazy.blockCodes(name);
                assertEquals(a == null, b == null, name);
                if (a != null) {
                    assertArrayEquals(a.codes(), b.codes(), name);
                    assertArrayEquals(a.scales(), b.scales(), name);
                }
            }
            TransformerSpec wider = spec.with(TransformerSpec.FFN_HIDDEN, spec.ffnHidden() + 32);
            dev.unroll.runtime.ShapeMismatchException e = org.junit.jupiter.api.Assertions.assertThrows(dev.unroll.runtime.ShapeMismatchException.class,
                    () -> TransformerWeights.onDemand(wider, GgufModel.tensors(f, wider)));
            assertTrue(e.getMessage().contains("stories260K-q4_0.gguf"), e.getMessage());
        }
    }

    /**
     * Qwen2 and Qwen3 decoders with the PyTorch reference's seeded weights, written as GGUF files of
     * llama.cpp's qwen2 and qwen3 architectures ({@link GgufBytes}, the writer being deterministic: the
     * files llama.cpp read for {@code data/gguf/<name>-llamacpp-logits.json}): read back as their
     * descriptors, they give llama.cpp's logits and PyTorch's, every argmax equal, within 1e-4 (llama.cpp
     * and PyTorch agree within 2.3e-6).
     */
    @ParameterizedTest
    @CsvSource({"tiny-qwen2, qwen2", "tiny-qwen3, qwen3", "tiny-qwen3-hd32, qwen3"})
    void qwenFilesGiveLlamaCppsAndPyTorchsLogits(String name, String arch, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        TransformerSpec spec = dev.unroll.runtime.transformer.HfConfig.read(TestData.fixture("configs/" + name + ".json"));
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve(name + ".gguf"),
                GgufBytes.of(arch, spec, TransformerWeights.seeded(spec, 7), n -> GgmlType.F32, true));
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(spec, GgufModel.spec(f));
            GenericTransformer m = new GenericTransformer(TransformerWeights.load(spec, GgufModel.tensors(f, spec)));
            HfReference.assertLogits(m, TestData.fixture("gguf/" + name + "-llamacpp-logits.json"), "llama.cpp " + name);
            HfReference.assertLogits(m, name, "PyTorch " + name);
        }
    }

    /**
     * Llama 3's scaling as llama.cpp's converter writes it (no keys; a tensor of divisors, computed here
     * from the configuration as the converter computes them): read back as the four scaling members, the
     * small Llama 3 decoder gives the PyTorch reference's logits and llama.cpp's on the same file.
     */
    @Test
    void llama3sFrequencyDivisorsReadAsItsScaling(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        TransformerSpec hf = dev.unroll.runtime.transformer.HfConfig.read(TestData.fixture("configs/tiny-llama3.json"));
        TransformerSpec spec = hf.withRope(dev.unroll.annotations.RopeLayout.INTERLEAVED);
        TransformerWeights w = TransformerWeights.seeded(hf, 7).withRope(dev.unroll.annotations.RopeLayout.INTERLEAVED);
        float[] divisors = new float[hf.headWidth() / 2];
        for (int i = 0; i < divisors.length; i++) {
            double freq = 1 / Math.pow(hf.ropeTheta(), 2.0 * i / hf.headWidth());
            double wavelength = 2 * Math.PI / freq;
            double low = 16 / 1.0;
            double high = 16 / 4.0;
            double smooth = (16 / wavelength - 1) / (4 - 1);
            divisors[i] = (float) (wavelength < high ? 1 : wavelength > low ? 8 : 1 / ((1 - smooth) / 8 + smooth));
        }
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("tiny-llama3.gguf"), GgufBytes.of("llama", spec.with(TransformerSpec.ROPE_SCALING, 1.0),
                w, n -> GgmlType.F32, true, java.util.Map.of(), java.util.Map.of(GgufModel.ROPE_FREQS, divisors)));
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(spec, GgufModel.spec(f));
            GenericTransformer m = new GenericTransformer(TransformerWeights.load(spec, GgufModel.tensors(f, spec)));
            HfReference.assertLogits(m, "tiny-llama3", "PyTorch tiny-llama3");
            HfReference.assertLogits(m, TestData.fixture("gguf/tiny-llama3-llamacpp-logits.json"), "llama.cpp tiny-llama3");
        }
    }

    /** Each block of 32 within one quantisation step of the original (F16 and F32 within their rounding). */
    private static void withinRounding(float[] original, float[] read, GgmlType type, String what) {
        assertEquals(original.length, read.length, what);
        for (int b = 0; b < original.length; b += 32) {
            float amax = 0;
            for (int i = b; i < Math.min(original.length, b + 32); i++) {
                amax = Math.max(amax, Math.abs(original[i]));
            }
            for (int i = b; i < Math.min(original.length, b + 32); i++) {
                double step = switch (type) {
                    case Q8_0 -> amax / 127.0 * 1.01;
                    case Q4_0 -> amax / 8.0 * 1.01;
                    case F16, BF16 -> Math.abs(original[i]) * (type == GgmlType.F16 ? 0x1p-10 : 0x1p-7) + 1e-7;
                    case F32 -> 0;
                };
                assertEquals(original[i], read[i], step, what + " element " + i + " (" + type + ")");
            }
        }
    }
}

package dev.unroll.examples.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.TestProperties;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models generated from Qwen2 and Qwen3 config.json files: the PyTorch reference's logits in both
 * flavours (the q/k/v biases, the head norms, heads wider than width / heads); the same function through every path a generated
 * decoder has (a token's products split over threads, a prompt in blocks, several sequences in one
 * step) and with Q8 matrices.
 */
class QwenTest {
    private static final int[] PROMPT = {1, 4, 20, 200, 100, 7, 255, 2, 9, 33, 150, 60};

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (Flavour f : Tolerance.flavours()) {
            out.add(Arguments.of("tiny-qwen2", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) TinyQwen2Model::of));
            out.add(Arguments.of("tiny-qwen3", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) TinyQwen3Model::of));
            out.add(Arguments.of("tiny-qwen3-hd32", f, (BiFunction<TransformerWeights, Flavour, TransformerModel>) TinyQwen3WideModel::of));
        }
        return out.stream();
    }

    @Test
    void theDescriptorsAreTheFiles() {
        assertEquals(HfConfig.read(Path.of("src/main/resources/configs/tiny-qwen2/config.json")), TinyQwen2Model.SPEC);
        assertEquals(HfConfig.read(Path.of("src/main/resources/configs/tiny-qwen3/config.json")), TinyQwen3Model.SPEC);
        assertTrue(TinyQwen2Model.SPEC.qkvBias() && !TinyQwen2Model.SPEC.qkNorm());
        assertTrue(TinyQwen3Model.SPEC.qkNorm() && !TinyQwen3Model.SPEC.qkvBias());
        assertEquals(HfConfig.read(Path.of("src/main/resources/configs/tiny-qwen3-hd32/config.json")), TinyQwen3WideModel.SPEC);
        assertEquals(128, TinyQwen3WideModel.SPEC.queryWidth());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void theGeneratedModelsGivePyTorchsLogits(String name, Flavour f, BiFunction<TransformerWeights, Flavour, TransformerModel> of) throws Exception {
        TransformerSpec spec = HfConfig.read(Path.of("src/main/resources/configs/" + name + "/config.json"));
        HfReference.assertLogits(of.apply(TransformerWeights.seeded(spec, 7), f), name, "generated " + name + " " + f);
        // the token's products split in two parts per thread give the same function
        TestProperties.with("unroll.decodeParts", "2",
                () -> HfReference.assertLogits(of.apply(TransformerWeights.seeded(spec, 7), f), name, "generated " + name + " " + f + ", 2 parts"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void aPromptInBlocksAndSequencesInOneStepAreTheTokenPathsFunction(String name, Flavour f,
            BiFunction<TransformerWeights, Flavour, TransformerModel> of) {
        TransformerSpec spec = HfConfig.read(Path.of("src/main/resources/configs/" + name + "/config.json"));
        TransformerModel m = of.apply(TransformerWeights.seeded(spec, 7), f);
        float tol = f == Flavour.SCALAR ? 0f : 2e-4f;
        int vocab = spec.vocab();
        float[][] byToken = new float[PROMPT.length][vocab];
        KvCache[] caches = caches(m);
        float[] x = new float[spec.width()];
        for (int p = 0; p < PROMPT.length; p++) {
            m.forwardToken(PROMPT[p], p, caches, x, byToken[p], null);
        }
        float[] prefilled = new float[vocab];
        m.prefill(PROMPT, 0, PROMPT.length, 0, caches(m), prefilled, null);
        assertArrayEquals(byToken[PROMPT.length - 1], prefilled, tol, name + " " + f + ": prefill");
        // three sequences, each the prompt's first token, one step: each row is the first position's logits
        KvCache[][] seqCaches = {caches(m), caches(m), caches(m)};
        float[][] logits = new float[3][vocab];
        m.forwardTokens(new int[] {PROMPT[0], PROMPT[0], PROMPT[0]}, new int[] {0, 0, 0}, seqCaches, logits);
        for (float[] row : logits) {
            assertArrayEquals(byToken[0], row, Math.max(tol, 2e-4f), name + " " + f + ": a batched step");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void q8MatricesComputeTheStoredWeightsFunction(Flavour f) {
        TransformerWeights w = TransformerWeights.seeded(TinyQwen2Q8Model.SPEC, 7);
        TransformerModel want = new GenericTransformer(w.storedAs(WeightFormat.Q8));
        TransformerModel got = TinyQwen2Q8Model.of(w, f);
        float[] a = new float[want.spec().vocab()];
        float[] b = new float[a.length];
        KvCache[] ca = caches(want);
        KvCache[] cb = caches(got);
        float[] xa = new float[want.spec().width()];
        float[] xb = new float[xa.length];
        for (int p = 0; p < PROMPT.length; p++) {
            want.forwardToken(PROMPT[p], p, ca, xa, a, null);
            got.forwardToken(PROMPT[p], p, cb, xb, b, null);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4 * Math.max(1, Math.abs(a[i])), "Q8 " + f + " position " + p + " logit " + i);
            }
        }
    }

    private static KvCache[] caches(TransformerModel m) {
        KvCache[] c = new KvCache[m.forwardCaches()];
        for (int i = 0; i < c.length; i++) {
            c[i] = m.newCache(m.spec().maxSeq());
        }
        return c;
    }
}

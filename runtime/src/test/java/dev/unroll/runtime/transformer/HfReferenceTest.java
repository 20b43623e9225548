package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * A Hugging Face decoder read from its config.json, with seeded weights in Hugging Face's layout, run
 * by the generic engine against a PyTorch forward written from the published modeling equations
 * ({@link HfReference}: every argmax equal, logits within F32 tolerance).
 */
class HfReferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "tiny-untied", "tiny-llama3", "tiny-qwen2", "tiny-qwen3", "tiny-qwen3-hd32"})
    void theGenericEngineGivesPyTorchsLogits(String name) {
        TransformerSpec spec = HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/" + name + ".json"));
        HfReference.assertLogits(new GenericTransformer(TransformerWeights.seeded(spec, 7)), name, "generic " + name);
    }

    /** Qwen2's biases and Qwen3's head norms are what match their references: the same weights without them miss. */
    @Test
    void qwensBiasesAndHeadNormsAreWhatMatchTheirReferences() {
        TransformerSpec qwen2 = HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/tiny-qwen2.json"));
        TransformerSpec qwen3 = HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/tiny-qwen3.json"));
        assertEquals(true, qwen2.qkvBias());
        assertEquals(true, qwen3.qkNorm());
        for (TransformerSpec s : new TransformerSpec[] {qwen2, qwen3}) {
            TransformerWeights w = TransformerWeights.seeded(s, 7);
            TransformerSpec plain = s.with(TransformerSpec.QKV_BIAS, false).with(TransformerSpec.QK_NORM, false);
            java.util.Map<String, float[]> kept = new java.util.LinkedHashMap<>();
            TransformerWeights.shapes(plain).keySet().forEach(n -> kept.put(n, w.get(n)));
            assertThrows(AssertionFailedError.class, () -> HfReference.assertLogits(new GenericTransformer(new TransformerWeights(plain, kept)),
                    s.qkvBias() ? "tiny-qwen2" : "tiny-qwen3", "without"));
        }
    }

    /** The scaled reference tells scaling from none: the same weights with unscaled frequencies miss it. */
    @Test
    void llama3sScalingIsWhatMatchesItsReference() {
        TransformerSpec scaled = HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/tiny-llama3.json"));
        assertEquals(8.0, scaled.ropeScaling());
        TransformerSpec unscaled = scaled.with(TransformerSpec.ROPE_SCALING, 1.0);
        assertThrows(AssertionFailedError.class, () -> HfReference.assertLogits(new GenericTransformer(TransformerWeights.seeded(unscaled, 7)),
                "tiny-llama3", "unscaled"));
    }
}

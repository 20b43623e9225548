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
    @ValueSource(strings = {"smollm2-135m", "tiny-untied", "tiny-llama3"})
    void theGenericEngineGivesPyTorchsLogits(String name) {
        TransformerSpec spec = HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/" + name + ".json"));
        HfReference.assertLogits(new GenericTransformer(TransformerWeights.seeded(spec, 7)), name, "generic " + name);
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

package dev.unroll.runtime.transformer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Hugging Face decoder read from its config.json, with seeded weights in Hugging Face's layout, run
 * by the generic engine against a PyTorch forward written from the published modeling equations
 * ({@link HfReference}: every argmax equal, logits within F32 tolerance).
 */
class HfReferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "tiny-untied"})
    void theGenericEngineGivesPyTorchsLogits(String name) {
        TransformerSpec spec = HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/" + name + ".json"));
        HfReference.assertLogits(new GenericTransformer(TransformerWeights.seeded(spec, 7)), name, "generic " + name);
    }
}

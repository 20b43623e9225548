package dev.unroll.examples.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model generated from a config.json with Llama 3's rope_scaling, both flavours, against the
 * PyTorch forward of the runtime's {@code data/reference/tiny-llama3-logits.json} (same seeded weights;
 * {@link HfReference}: every argmax equal, logits within F32 tolerance).
 */
class TinyLlama3Test {
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theGeneratedModelGivesPyTorchsLogits(Flavour flavour) {
        TransformerSpec fromFile = HfConfig.read(Path.of("src/main/resources/configs/tiny-llama3/config.json"));
        assertEquals(fromFile, TinyLlama3Model.SPEC);
        assertEquals(8.0, TinyLlama3Model.SPEC.ropeScaling());
        HfReference.assertLogits(TinyLlama3Model.of(TransformerWeights.seeded(TinyLlama3Model.SPEC, 7), flavour), "tiny-llama3", "generated " + flavour);
    }
}

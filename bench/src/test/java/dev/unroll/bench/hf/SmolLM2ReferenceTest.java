package dev.unroll.bench.hf;

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
 * The model generated from SmolLM2-135M's config.json, both flavours, against the PyTorch forward of
 * the runtime's {@code data/reference/smollm2-135m-logits.json} (same seeded weights; {@link HfReference}:
 * every argmax equal, logits within F32 tolerance). In the benchmarks' module, with the other real
 * shapes: its 135M parameters would weigh on the examples' sweeps, which build every generated model.
 */
class SmolLM2ReferenceTest {
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theGeneratedModelGivesPyTorchsLogits(Flavour flavour) {
        TransformerSpec fromFile = HfConfig.read(Path.of("src/main/resources/configs/smollm2-135m/config.json"));
        assertEquals(fromFile.with(TransformerSpec.MAX_SEQ, 512), SmolLM2Model.SPEC);
        HfReference.assertLogits(SmolLM2Model.of(TransformerWeights.seeded(SmolLM2Model.SPEC, 7), flavour), "smollm2-135m", "generated " + flavour);
    }
}

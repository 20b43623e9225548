package dev.unroll.bench.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models generated from published config.json files at their real shapes, SmolLM2-135M (a tied
 * Llama), Qwen2.5-0.5B (biases on q, k and v) and Qwen3-0.6B (q and k head norms, heads of 128 where
 * width / heads is 64), both flavours, against the PyTorch forwards of the runtime's
 * {@code data/reference/<name>-logits.json} (same seeded weights, seed 7; {@link HfReference}: every
 * argmax equal, logits within F32 tolerance). In the benchmarks' module, with the other real shapes:
 * their 0.1 to 0.6 billion parameters would weigh on the examples' sweeps, which build every generated
 * model. One model's weights are held at a time (2.4 GB of F32 for Qwen3-0.6B, then its packed copy).
 */
class RealShapesReferenceTest {
    private static String heldName;
    private static TransformerWeights held;

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        Object[][] models = {
            {"smollm2-135m", SmolLM2Model.SPEC, (BiFunction<TransformerWeights, Flavour, TransformerModel>) SmolLM2Model::of},
            {"qwen2.5-0.5b", Qwen25Model.SPEC, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Qwen25Model::of},
            {"qwen3-0.6b", Qwen3Model.SPEC, (BiFunction<TransformerWeights, Flavour, TransformerModel>) Qwen3Model::of},
        };
        for (Object[] m : models) {
            for (Flavour f : Flavour.values()) {
                out.add(Arguments.of(m[0], m[1], f, m[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("models")
    void theGeneratedModelGivesPyTorchsLogits(String name, TransformerSpec spec, Flavour flavour,
            BiFunction<TransformerWeights, Flavour, TransformerModel> of) {
        TransformerSpec fromFile = HfConfig.read(Path.of("src/main/resources/configs/" + name + "/config.json"));
        assertEquals(fromFile.with(TransformerSpec.MAX_SEQ, 512), spec);
        HfReference.assertLogits(of.apply(weights(name, spec), flavour), name, "generated " + name + " " + flavour);
    }

    /** The seeded weights of one model, kept for its other flavour and dropped for the next model. */
    private static synchronized TransformerWeights weights(String name, TransformerSpec spec) {
        if (!name.equals(heldName)) {
            held = null;
            held = TransformerWeights.seeded(spec, 7);
            heldName = name;
        }
        return held;
    }
}

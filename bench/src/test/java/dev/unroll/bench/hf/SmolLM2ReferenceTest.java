package dev.unroll.bench.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model generated from SmolLM2-135M's config.json, both flavours, against the PyTorch forward of
 * the runtime's {@code data/reference/smollm2-135m-logits.json} (same seeded weights): every argmax
 * equal, logits within F32 tolerance. In the benchmarks' module, with the other real shapes: its
 * 135M parameters would weigh on the examples' sweeps, which build every generated model.
 */
class SmolLM2ReferenceTest {
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theGeneratedModelGivesPyTorchsLogits(Flavour flavour) {
        TransformerSpec fromFile = HfConfig.read(Path.of("src/main/resources/configs/smollm2-135m/config.json"));
        assertEquals(fromFile.with(TransformerSpec.MAX_SEQ, 512), SmolLM2Model.SPEC);
        Map<String, Object> ref = Json.asObject(Json.parseFile(Path.of("../runtime/src/test/resources/data/reference/smollm2-135m-logits.json")), "reference");
        int[] tokens = Json.asList(ref.get("tokens"), "tokens").stream().mapToInt(t -> Json.asInt(t, "token")).toArray();
        int stride = Json.asInt(ref.get("stride"), "stride");
        List<Object> argmax = Json.asList(ref.get("argmax"), "argmax");
        List<Object> logits = Json.asList(ref.get("logits"), "logits");
        TransformerModel m = SmolLM2Model.of(TransformerWeights.seeded(SmolLM2Model.SPEC, 7), flavour);
        KvCache[] caches = new KvCache[m.forwardCaches()];
        for (int i = 0; i < caches.length; i++) {
            caches[i] = m.newCache(tokens.length);
        }
        float[] x = new float[SmolLM2Model.SPEC.width()];
        float[] out = new float[SmolLM2Model.SPEC.vocab()];
        for (int pos = 0; pos < tokens.length; pos++) {
            m.forwardToken(tokens[pos], pos, caches, x, out, null);
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                best = out[i] > out[best] ? i : best;
            }
            assertEquals(Json.asInt(argmax.get(pos), "argmax"), best, flavour + " position " + pos + ": argmax");
            double[] want = Json.flatDoubles(logits.get(pos), "logits");
            double worst = 0;
            for (int j = 0; j < want.length; j++) {
                worst = Math.max(worst, Math.abs(out[j * stride] - want[j]) / Math.max(1, Math.abs(want[j])));
            }
            assertEquals(0, worst, 1e-4, flavour + " position " + pos + ": worst scaled error of " + want.length + " logits");
        }
    }
}

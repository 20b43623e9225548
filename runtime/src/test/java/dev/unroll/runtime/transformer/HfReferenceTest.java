package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Hugging Face decoder read from its config.json, with seeded weights in Hugging Face's layout,
 * against a PyTorch forward written from the published modeling equations
 * ({@code data/reference}, see its README): every position's argmax equal, the logits within F32
 * tolerance (PyTorch F32 against the generic engine's f64: 8e-6 measured at the first position of 30 layers; bound 1e-4).
 */
class HfReferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "tiny-untied"})
    void theGenericEngineGivesPyTorchsLogits(String name) {
        TransformerSpec spec = HfConfig.read(TestData.fixture("configs/" + name + ".json"));
        Map<String, Object> ref = Json.asObject(Json.parseFile(TestData.fixture("reference/" + name + "-logits.json")), name);
        int[] tokens = Json.asList(ref.get("tokens"), "tokens").stream().mapToInt(t -> Json.asInt(t, "token")).toArray();
        int stride = Json.asInt(ref.get("stride"), "stride");
        List<Object> argmax = Json.asList(ref.get("argmax"), "argmax");
        List<Object> logits = Json.asList(ref.get("logits"), "logits");
        GenericTransformer m = new GenericTransformer(TransformerWeights.seeded(spec, 7));
        KvCache[] caches = new KvCache[m.forwardCaches()];
        for (int i = 0; i < caches.length; i++) {
            caches[i] = m.newCache(tokens.length);
        }
        float[] x = new float[spec.width()];
        float[] out = new float[spec.vocab()];
        for (int pos = 0; pos < tokens.length; pos++) {
            m.forwardToken(tokens[pos], pos, caches, x, out, null);
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                best = out[i] > out[best] ? i : best;
            }
            assertEquals(Json.asInt(argmax.get(pos), "argmax"), best, name + " position " + pos + ": argmax");
            double[] want = Json.flatDoubles(logits.get(pos), "logits");
            double worst = 0;
            for (int j = 0; j < want.length; j++) {
                worst = Math.max(worst, Math.abs(out[j * stride] - want[j]) / Math.max(1, Math.abs(want[j])));
            }
            assertEquals(0, worst, 1e-4, name + " position " + pos + ": worst scaled error of " + want.length + " logits");
        }
    }
}

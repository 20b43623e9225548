package dev.unroll.runtime.gguf;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.TransformerModel;
import java.util.List;
import java.util.Map;

/**
 * llama.cpp's logits of a GGUF file ({@code data/gguf/<name>-llamacpp-logits.json}, made by
 * {@code bench/llamacpp/driver.c logits}) against a model's: the largest difference of the sampled
 * logits, scaled by max(1, |logit|), over every position, and the positions whose argmax differs.
 */
final class LlamaCppLogits {
    private LlamaCppLogits() {}

    /**
     * @param worst the largest scaled difference
     * @param argmaxMisses positions whose argmax differs from llama.cpp's
     * @param positions positions compared
     */
    record Comparison(double worst, int argmaxMisses, int positions) {}

    static Comparison compare(TransformerModel m, String name) {
        Map<String, Object> ref = Json.asObject(Json.parseFile(TestData.fixture("gguf/" + name + "-llamacpp-logits.json")), name);
        int[] tokens = Json.asList(ref.get("tokens"), "tokens").stream().mapToInt(t -> Json.asInt(t, "token")).toArray();
        int stride = Json.asInt(ref.get("stride"), "stride");
        List<Object> argmax = Json.asList(ref.get("argmax"), "argmax");
        List<Object> logits = Json.asList(ref.get("logits"), "logits");
        KvCache[] caches = new KvCache[m.forwardCaches()];
        for (int i = 0; i < caches.length; i++) {
            caches[i] = m.newCache(tokens.length);
        }
        float[] x = new float[m.spec().width()];
        float[] out = new float[m.spec().vocab()];
        double worst = 0;
        int misses = 0;
        for (int pos = 0; pos < tokens.length; pos++) {
            m.forwardToken(tokens[pos], pos, caches, x, out, null);
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                best = out[i] > out[best] ? i : best;
            }
            misses += best == Json.asInt(argmax.get(pos), "argmax") ? 0 : 1;
            double[] want = Json.flatDoubles(logits.get(pos), "logits");
            for (int j = 0; j < want.length; j++) {
                worst = Math.max(worst, Math.abs(out[j * stride] - want[j]) / Math.max(1, Math.abs(want[j])));
            }
        }
        return new Comparison(worst, misses, tokens.length);
    }
}

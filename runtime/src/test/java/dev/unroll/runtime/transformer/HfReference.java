package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Holds a decoder to the PyTorch logits of {@code data/reference/<name>-logits.json} (its README):
 * one causal forward over the file's tokens, every position's argmax equal, every sampled logit within
 * 1e-4 scaled by max(1, |logit|) (PyTorch's F32 against Unroll's engines: 8e-6 measured at SmolLM2-135M's
 * first position).
 */
public final class HfReference {
    private HfReference() {}

    /**
     * @param m a model with the reference's seeded weights (seed 7)
     * @param name the reference ({@code smollm2-135m}, {@code tiny-untied})
     * @param what names the model in failures
     */
    public static void assertLogits(TransformerModel m, String name, String what) {
        assertLogits(m, TestData.fixture("reference/" + name + "-logits.json"), what);
    }

    /**
     * @param m a model with the reference's weights
     * @param file logits in the reference's format (tokens, stride, argmax, logits)
     * @param what names the model in failures
     */
    public static void assertLogits(TransformerModel m, java.nio.file.Path file, String what) {
        Comparison c = compare(m, file);
        assertEquals(-1, c.firstArgmaxMiss(), what + ": the argmax differs at position " + c.firstArgmaxMiss());
        assertEquals(0, c.worst(), 1e-4, what + " position " + c.worstPosition() + ": worst scaled error of the sampled logits");
    }

    /**
     * A model against logits in the reference's format, over every position.
     *
     * @param worst the largest difference of a sampled logit, scaled by max(1, |logit|)
     * @param worstPosition where it is
     * @param argmaxMisses positions whose argmax differs
     * @param firstArgmaxMiss the first of them, or -1
     */
    public record Comparison(double worst, int worstPosition, int argmaxMisses, int firstArgmaxMiss) {}

    /**
     * @param m a model with the file's weights
     * @param file tokens, stride, each position's argmax and every stride-th logit
     * @return how the model's forward over the tokens compares
     */
    public static Comparison compare(TransformerModel m, java.nio.file.Path file) {
        Map<String, Object> ref = Json.asObject(Json.parseFile(file), file.toString());
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
        int worstPosition = 0;
        int misses = 0;
        int firstMiss = -1;
        for (int pos = 0; pos < tokens.length; pos++) {
            m.forwardToken(tokens[pos], pos, caches, x, out, null);
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                best = out[i] > out[best] ? i : best;
            }
            if (best != Json.asInt(argmax.get(pos), "argmax")) {
                misses++;
                firstMiss = firstMiss < 0 ? pos : firstMiss;
            }
            double[] want = Json.flatDoubles(logits.get(pos), "logits");
            for (int j = 0; j < want.length; j++) {
                double e = Math.abs(out[j * stride] - want[j]) / Math.max(1, Math.abs(want[j]));
                if (e > worst) {
                    worst = e;
                    worstPosition = pos;
                }
            }
        }
        return new Comparison(worst, worstPosition, misses, firstMiss);
    }
}

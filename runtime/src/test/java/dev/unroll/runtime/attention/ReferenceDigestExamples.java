package dev.unroll.runtime.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.mode.GatedDeltaNetMode;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes small golden files in the attention reference's width-64 layout ({@code docs/golden-format.md}):
 * inputs in a sibling file, weights as statistics of the seeded draw, outputs at every 4th token plus
 * the last 8, the final state. Width 16 (4 heads, K = V = 4) and 24 tokens, so that they are small
 * enough to commit; the numbers are Unroll's own (the generic engine at f64, which matches the
 * reference's width-16 files within 1e-12), not the reference's data. Deterministic; run from the
 * repository root after a change of format:
 * {@code mvn -q -pl runtime test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.unroll.runtime.attention.ReferenceDigestExamples}.
 */
public final class ReferenceDigestExamples {
    /** Tokens of each example. */
    public static final int TOKENS = 24;
    /** The examples: variant name to descriptor. */
    public static final Map<String, AttentionSpec> VARIANTS = Map.of(
            "gla", AttentionSpec.builder(AttentionMode.GLA, 16).precision(Precision.F64).build(),
            "gated_deltanet_static", AttentionSpec.builder(AttentionMode.GATED_DELTA_NET, 16).set(GatedDeltaNetMode.BETA_SCALE, 1.0)
                    .precision(Precision.F64).build());

    private ReferenceDigestExamples() {}

    /**
     * @param args optional output folder
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "runtime/src/test/resources/data/golden/attention-digest"));
        for (String v : new TreeSet<>(VARIANTS.keySet())) {
            write(dir, v, VARIANTS.get(v));
        }
    }

    /** The tokens the layout keeps outputs for: every 4th, and the last 8. */
    public static List<Integer> outputTokens(int tokens) {
        TreeSet<Integer> t = new TreeSet<>();
        for (int i = 0; i < tokens; i += 4) {
            t.add(i);
        }
        for (int i = Math.max(0, tokens - 8); i < tokens; i++) {
            t.add(i);
        }
        return new ArrayList<>(t);
    }

    static void write(Path dir, String variant, AttentionSpec spec) throws IOException {
        int d = spec.width();
        List<Object> inputs = new ArrayList<>();
        double[] xs = new double[TOKENS * d];
        for (int t = 0; t < TOKENS; t++) {
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < d; i++) {
                xs[t * d + i] = Math.sin(0.37 * t + 0.11 * i);
                row.add(xs[t * d + i]);
            }
            inputs.add(row);
        }
        GenericLinearAttention layer = GenericLinearAttention.seeded(spec);
        AttentionState s = layer.newState();
        double[] y = new double[d];
        List<Integer> keep = outputTokens(TOKENS);
        List<Object> outputs = new ArrayList<>();
        for (int t = 0; t < TOKENS; t++) {
            double[] x = java.util.Arrays.copyOfRange(xs, t * d, (t + 1) * d);
            layer.step(s, x, y);
            if (keep.contains(t)) {
                List<Object> row = new ArrayList<>();
                for (double v : y) {
                    row.add(v);
                }
                outputs.add(row);
            }
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("formula", "x_t[i] = sin(0.37*t + 0.11*i), t=0.." + (TOKENS - 1) + ", i=0.." + (d - 1) + ", f64");
        in.put("n_tokens", TOKENS);
        in.put("d_model", d);
        in.put("inputs", inputs);
        String inputsFile = variant + ".inputs.json";
        Files.writeString(dir.resolve(inputsFile), Json.write(in) + "\n", StandardCharsets.UTF_8);

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("source", "Unroll's generic engine (f64), written by ReferenceDigestExamples in the reference's width-64 layout");
        root.put("variant", variant);
        root.put("config", config(spec));
        root.put("n_tokens", TOKENS);
        root.put("inputs_file", inputsFile);
        root.put("weights_note", "every element = 0.01 * standard_normal(xorshift64 seeded with config.seed), in draw order; the weights are not "
                + "stored: weights_digest gives, per tensor, its shape, n, the f64 sum and sum of squares accumulated left to right, and its "
                + "first and last 4 values");
        root.put("weights_digest", digest(spec));
        root.put("output_tokens", keep);
        root.put("outputs_note", "outputs[i] = forward(inputs[output_tokens[i]]) from a fresh layer fed every token in order");
        root.put("outputs", outputs);
        root.put("final_state_layout", "[n_heads=" + spec.heads() + "][d_key=" + spec.keyWidth() + "][d_value=" + spec.valueWidth() + "] (row = key)");
        List<Object> state = new ArrayList<>();
        for (double v : s.values()) {
            state.add(v);
        }
        root.put("final_state", state);
        Files.writeString(dir.resolve(variant + ".json"), Json.write(root) + "\n", StandardCharsets.UTF_8);
    }

    /** The reference's config object for a spec: d_model, n_heads, d_key, d_value, seed, mode. */
    static Map<String, Object> config(AttentionSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("d_model", spec.width());
        c.put("n_heads", spec.heads());
        c.put("d_key", spec.keyWidth());
        c.put("d_value", spec.valueWidth());
        c.put("seed", spec.seed());
        Map<String, Object> mode = new LinkedHashMap<>();
        if (spec.mode() == AttentionMode.GLA) {
            mode.put("name", "GLA");
        } else {
            mode.put("name", "GatedDeltaNet");
            mode.put("beta_scale", 1.0);
            mode.put("gate_mode_delta", "Static");
        }
        c.put("mode", mode);
        return c;
    }

    /** weights_digest as the width-64 files give it: per tensor in draw order, with sums left to right in f64. */
    static List<Object> digest(AttentionSpec spec) {
        AttentionWeights w = AttentionWeights.seeded(spec);
        List<Object> out = new ArrayList<>();
        for (WeightTensor t : WeightLayout.of(spec)) {
            double[] v = w.get(t.name());
            double sum = 0;
            double sumSq = 0;
            for (double x : v) {
                sum += x;
                sumSq += x * x;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name());
            List<Object> shape = new ArrayList<>();
            for (long s : t.longShape()) {
                shape.add(s);
            }
            e.put("shape", shape);
            e.put("n", v.length);
            e.put("sum", sum);
            e.put("sum_sq", sumSq);
            List<Object> first = new ArrayList<>();
            List<Object> last = new ArrayList<>();
            for (int i = 0; i < Math.min(4, v.length); i++) {
                first.add(v[i]);
                last.add(v[v.length - Math.min(4, v.length) + i]);
            }
            e.put("first4", first);
            e.put("last4", last);
            out.add(e);
        }
        return out;
    }
}

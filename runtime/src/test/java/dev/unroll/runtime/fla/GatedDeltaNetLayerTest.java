package dev.unroll.runtime.fla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The GatedDeltaNet layer against fla's own layer code run in PyTorch ({@code data/fla-layers/README.md}):
 * for each configuration the state_dict loads by fla's names, and three segments (a 7-token prefill, a
 * 2-token chunk shorter than the convolution window, 3 one-token steps, each continuing the cache) give
 * fla's outputs, recurrent states and convolution windows to {@link #TOLERANCE} of each tensor's largest
 * magnitude. The step form equals the sequence form bit for bit.
 */
class GatedDeltaNetLayerTest {
    /** Scaled error bound: F32 PyTorch against sums taken in double here. */
    static final double TOLERANCE = 1e-5;

    static final String[] CONFIGS = {"gdn-h64", "gdn-gva", "gdn-nogate", "gdn-noconv"};

    record Golden(GatedDeltaNetLayer layer, Map<String, Tensor> tensors) {
        Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new AssertionError("golden file lacks " + name);
            }
            return t;
        }
    }

    static Golden golden(String name) {
        Path dir = TestData.fixture("fla-layers/" + name + ".safetensors").getParent();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        GatedDeltaNetConfig config;
        try (SafetensorsFile g = SafetensorsFile.open(dir.resolve(name + ".golden.safetensors"))) {
            String descriptor = g.metadata().get("unroll.descriptor");
            config = GatedDeltaNetConfig.fromJson(descriptor); // fla's keys; "layer" is not one of them
            for (String n : g.names()) {
                long[] s = g.info(n).shape();
                int[] shape = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    shape[i] = (int) s[i];
                }
                tensors.put(n, Tensor.of(g.floats(n), shape));
            }
        }
        return new Golden(new GatedDeltaNetLayer(GatedDeltaNetWeights.load(config, dir.resolve(name + ".safetensors"))), tensors);
    }

    static double scaledError(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double err = 0;
        double scale = 0;
        for (int i = 0; i < expected.data().length; i++) {
            err = Math.max(err, Math.abs(expected.data()[i] - actual.data()[i]));
            scale = Math.max(scale, Math.abs(expected.data()[i]));
        }
        return err / scale;
    }

    static void close(String what, Tensor expected, Tensor actual, double[] worst) {
        double e = scaledError(expected, actual);
        worst[0] = Math.max(worst[0], e);
        assertTrue(e <= TOLERANCE, () -> what + ": scaled error " + e + " > " + TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gdn-h64", "gdn-gva", "gdn-nogate", "gdn-noconv"})
    void matchesFlaLayerOnSequencesAndSteps(String name) {
        Golden g = golden(name);
        GatedDeltaNetLayer layer = g.layer();
        GatedDeltaNetState s = layer.newState();
        double[] worst = {0};
        for (int seg = 1; seg <= 3; seg++) {
            Tensor x = g.get("input.x" + seg);
            Tensor y;
            if (seg < 3) {
                y = layer.forward(s, x);
            } else { // the last segment one token at a time, as fla's decoding does
                int d = layer.config().hiddenSize();
                float[] out = new float[x.data().length];
                for (int t = 0; t < x.dim(0); t++) {
                    float[] yt = new float[d];
                    layer.step(s, java.util.Arrays.copyOfRange(x.data(), t * d, (t + 1) * d), yt);
                    System.arraycopy(yt, 0, out, t * d, d);
                }
                y = Tensor.of(out, x.shape());
            }
            close(name + " y" + seg, g.get("expected.y" + seg), y, worst);
            close(name + " recurrent state " + seg, g.get("expected.recurrent_state" + seg), s.recurrentState(), worst);
            if (layer.config().useShortConv()) {
                for (char c : new char[] {'q', 'k', 'v'}) {
                    // the windows hold the projections themselves, which fla computes in F32 too
                    close(name + " conv state " + c + seg, g.get("expected.conv_state_" + c + seg), s.convState(c), worst);
                }
            }
        }
        assertEquals(12, s.tokens());
        System.out.printf("[Unroll tests] GatedDeltaNet %s vs fla: largest scaled error %.2e (bound %.0e)%n", name, worst[0], TOLERANCE);
    }

    @Test
    void stepsEqualTheSequenceBitForBit() {
        for (String name : CONFIGS) {
            Golden g = golden(name);
            GatedDeltaNetLayer layer = g.layer();
            int d = layer.config().hiddenSize();
            float[] xs = concat(g.get("input.x1").data(), g.get("input.x2").data(), g.get("input.x3").data());
            int tokens = xs.length / d;
            GatedDeltaNetState seq = layer.newState();
            float[] ys = new float[xs.length];
            layer.forward(seq, xs, tokens, ys);
            GatedDeltaNetState stepped = layer.newState();
            float[] yt = new float[xs.length];
            for (int t = 0; t < tokens; t++) {
                float[] out = new float[d];
                layer.step(stepped, java.util.Arrays.copyOfRange(xs, t * d, (t + 1) * d), out);
                System.arraycopy(out, 0, yt, t * d, d);
            }
            assertArrayEquals(ys, yt, name);
            assertEquals(seq.recurrentState(), stepped.recurrentState(), name);
        }
    }

    @Test
    void aStateCarriedFromFlaContinuesAsFla() {
        Golden g = golden("gdn-h64");
        GatedDeltaNetLayer layer = g.layer();
        GatedDeltaNetState s = layer.newState();
        s.setRecurrentState(g.get("expected.recurrent_state1"));
        for (char c : new char[] {'q', 'k', 'v'}) {
            s.setConvState(c, g.get("expected.conv_state_" + c + "1"));
        }
        close("y2 from fla's cache", g.get("expected.y2"), layer.forward(s, g.get("input.x2")), new double[1]);
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static Map<String, TensorSource.Array> stateDict(GatedDeltaNetWeights w, String prefix) {
        Map<String, TensorSource.Array> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : GatedDeltaNetWeights.shapes(w.config()).entrySet()) {
            float[] f = w.get(e.getKey());
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            m.put(prefix + e.getKey(), new TensorSource.Array(e.getValue(), d));
        }
        return m;
    }

    @Test
    void loadsALayerOfAModelByItsPrefix() {
        GatedDeltaNetConfig c = GatedDeltaNetConfig.of(16, 2, 4);
        GatedDeltaNetWeights w = GatedDeltaNetWeights.seeded(c, 3);
        Map<String, TensorSource.Array> m = stateDict(w, "model.layers.1.attn.");
        m.put("model.layers.1.attn_norm.weight", new TensorSource.Array(new long[] {16}, new double[16]));
        m.put("model.embeddings.weight", new TensorSource.Array(new long[] {2, 16}, new double[32]));
        GatedDeltaNetWeights loaded = GatedDeltaNetWeights.load(c, TensorSource.of("a model", m), "model.layers.1.attn.");
        assertArrayEquals(w.get("o_proj.weight"), loaded.get("o_proj.weight"));
    }

    @Test
    void loaderErrorsNameTheTensorAndTheRule() {
        GatedDeltaNetConfig c = GatedDeltaNetConfig.of(16, 2, 4);
        GatedDeltaNetWeights w = GatedDeltaNetWeights.seeded(c, 3);

        Map<String, TensorSource.Array> missing = stateDict(w, "");
        missing.remove("dt_bias");
        UnrollException e = assertThrows(UnrollException.class, () -> GatedDeltaNetWeights.load(c, TensorSource.of("ckpt", missing), ""));
        assertTrue(e.getMessage().contains("missing tensor 'dt_bias' [2]"), e.getMessage());

        // a checkpoint of a layer without the output gate has no g_proj: loading it with use_gate is refused, and the reverse
        Map<String, TensorSource.Array> extra = stateDict(w, "");
        UnrollException x = assertThrows(UnrollException.class,
                () -> GatedDeltaNetWeights.load(c.withSwitches(false, true, false), TensorSource.of("ckpt", extra), ""));
        assertTrue(x.getMessage().contains("tensor 'g_proj.weight' is not a GatedDeltaNet weight of this configuration"), x.getMessage());

        Map<String, TensorSource.Array> shape = stateDict(w, "");
        shape.put("q_conv1d.weight", new TensorSource.Array(new long[] {8, 4}, new double[32]));
        UnrollException s = assertThrows(UnrollException.class, () -> GatedDeltaNetWeights.load(c, TensorSource.of("ckpt", shape), ""));
        assertTrue(s.getMessage().contains("q_conv1d.weight") && s.getMessage().contains("[8, 1, 4]"), s.getMessage());

        Map<String, TensorSource.Array> nan = stateDict(w, "");
        nan.get("A_log").data()[1] = Double.NaN;
        UnrollException n = assertThrows(UnrollException.class, () -> GatedDeltaNetWeights.load(c, TensorSource.of("ckpt", nan), ""));
        assertTrue(n.getMessage().contains("tensor 'A_log' holds NaN at flat index 1"), n.getMessage());

        Golden g = golden("gdn-h64"); // fla's file under a configuration it was not saved with
        UnrollException f = assertThrows(UnrollException.class, () -> GatedDeltaNetWeights.load(g.layer().config().withNumVHeads(4),
                TestData.fixture("fla-layers/gdn-h64.safetensors")));
        assertTrue(f.getMessage().contains("v_proj.weight"), f.getMessage());
    }

    @Test
    void configurationErrorsNameTheArgumentAndTheRule() {
        assertMessage("num_v_heads = 3: must be a multiple of num_heads = 2", () -> GatedDeltaNetConfig.of(16, 2, 4).withNumVHeads(3));
        assertMessage("head_dim * expand_v = 5 * 1.5 = 7.5: must be a whole number", () -> GatedDeltaNetConfig.of(16, 2, 5).withExpandV(1.5));
        assertMessage("norm_eps = 0.0: must be finite and > 0", () -> GatedDeltaNetConfig.of(16, 2, 4).withNormEps(0));
        assertMessage("conv_size = 0: must be in [1, 1024]", () -> GatedDeltaNetConfig.of(16, 2, 4).withConv(0, false));
        assertMessage("hidden_size = -1", () -> GatedDeltaNetConfig.of(-1, 2, 4));
        assertMessage("missing member \"head_dim\"", () -> GatedDeltaNetConfig.fromJson("{\"hidden_size\": 8, \"num_heads\": 2}"));
        assertMessage("use_gate must be true or false", () -> GatedDeltaNetConfig.fromJson("{\"hidden_size\": 8, \"num_heads\": 2, \"head_dim\": 4, \"use_gate\": 1}"));
        GatedDeltaNetConfig c = GatedDeltaNetConfig.of(16, 2, 4);
        assertEquals(c, GatedDeltaNetConfig.fromJson(c.toJson()));
        GatedDeltaNetLayer layer = new GatedDeltaNetLayer(GatedDeltaNetWeights.seeded(c, 1));
        float[] x = new float[16];
        x[3] = Float.NaN;
        assertMessage("input token 0, index 3 is NaN", () -> layer.step(layer.newState(), x, new float[16]));
        GatedDeltaNetLayer other = new GatedDeltaNetLayer(GatedDeltaNetWeights.seeded(c.withNumVHeads(4), 1));
        assertMessage("the state is for another configuration", () -> layer.step(other.newState(), new float[16], new float[16]));
    }

    @Test
    void readsAnFlaModelsConfigJson() {
        String json = "{\"model_type\": \"gated_deltanet\", \"attn_mode\": \"chunk\", \"hidden_size\": 64, \"num_heads\": 2, \"head_dim\": 16,"
                + " \"num_v_heads\": null, \"expand_v\": 2.0, \"use_gate\": true, \"use_short_conv\": true, \"allow_neg_eigval\": false,"
                + " \"conv_size\": 4, \"norm_eps\": 1e-06, \"vocab_size\": 32000, \"num_hidden_layers\": 21, \"attn\": null}";
        assertEquals(GatedDeltaNetConfig.of(64, 2, 16).withNormEps(1e-6), GatedDeltaNetConfig.fromJson(json));
    }

    @Test
    void anOverflowingOutputIsAnErrorAndLeavesTheStateAsItWas() {
        GatedDeltaNetConfig c = GatedDeltaNetConfig.of(16, 2, 4);
        Map<String, TensorSource.Array> m = stateDict(GatedDeltaNetWeights.seeded(c, 3), "");
        java.util.Arrays.fill(m.get("o_proj.weight").data(), 3e38);
        GatedDeltaNetLayer layer = new GatedDeltaNetLayer(GatedDeltaNetWeights.load(c, TensorSource.of("huge o_proj", m), ""));
        GatedDeltaNetState s = layer.newState();
        float[] x = new float[16];
        java.util.Arrays.fill(x, 0.5f);
        assertMessage("output token 0, index 0 overflowed to", () -> layer.step(s, x, new float[16]));
        assertEquals(0, s.tokens());
        assertEquals(layer.newState().recurrentState(), s.recurrentState());
        assertEquals(layer.newState().convState('v'), s.convState('v'));
    }

    static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        UnrollException e = assertThrows(UnrollException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
    }
}

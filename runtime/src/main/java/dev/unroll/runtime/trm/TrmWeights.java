package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.random.Init;
import dev.unroll.runtime.internal.random.Xorshift64;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.weights.CompactFormats;
import dev.unroll.runtime.weights.NamedTensors;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a Tiny Recursive Model under the PyTorch {@code state_dict} names of the seed
 * model (row-major, {@code [out_features][in_features]} for linears), in f32.
 *
 * <p>MLP mixer, per layer l: {@code network.layers.l.mixer.swiglu.gate_up_proj.weight [2*MI][L]},
 * {@code ...mixer.swiglu.down_proj.weight [L][MI]}, {@code network.layers.l.mlp.gate_up_proj.weight
 * [2*I][H]}, {@code ...mlp.down_proj.weight [H][I]}. Attention mixer: {@code
 * network.layers.l.self_attn.qkv_proj.weight [3H][H]} and {@code ...self_attn.o_proj.weight [H][H]}
 * instead of the mixer. Shared: {@code y_init [H]}, {@code z_init [H]},
 * {@code input_embedding.summary_token [1][P][H]}, {@code input_embedding.token_embedding.weight
 * [V][H]}, {@code output_head.proj.weight [V][H]}, {@code q_head.proj.weight [Q][H]},
 * {@code q_head.proj.bias [Q]}.
 *
 * <p>Thread-safety: immutable by contract: {@code get} and {@code layer} return the stored arrays
 * themselves (models share them without copying), so read them and never write them.
 */
public final class TrmWeights {
    private final TrmSpec spec;
    private final NamedTensors tensors;

    private TrmWeights(TrmSpec spec, NamedTensors tensors) {
        this.spec = spec;
        this.tensors = tensors;
    }

    /**
     * @param spec the model
     * @return every tensor name and shape, in the seed model's construction order
     */
    public static Map<String, long[]> shapes(TrmSpec spec) {
        dev.unroll.runtime.internal.Checks.notNull("TrmWeights.shapes: spec", spec);
        Map<String, long[]> m = new LinkedHashMap<>();
        int h = spec.hidden();
        int l = spec.sequence();
        m.put("input_embedding.token_embedding.weight", new long[] {spec.vocab(), h});
        m.put("input_embedding.summary_token", new long[] {1, spec.prefix(), h});
        for (int i = 0; i < spec.layers(); i++) {
            String p = "network.layers." + i + ".";
            if (spec.mixer() == TokenMixer.MLP) {
                int mi = spec.mixerIntermediate();
                m.put(p + "mixer.swiglu.gate_up_proj.weight", new long[] {2L * mi, l});
                m.put(p + "mixer.swiglu.down_proj.weight", new long[] {l, mi});
            } else {
                m.put(p + "self_attn.qkv_proj.weight", new long[] {3L * h, h});
                m.put(p + "self_attn.o_proj.weight", new long[] {h, h});
            }
            int inter = spec.mlpIntermediate();
            m.put(p + "mlp.gate_up_proj.weight", new long[] {2L * inter, h});
            m.put(p + "mlp.down_proj.weight", new long[] {h, inter});
        }
        m.put("output_head.proj.weight", new long[] {spec.vocab(), h});
        m.put("q_head.proj.weight", new long[] {spec.haltOutputs(), h});
        m.put("q_head.proj.bias", new long[] {spec.haltOutputs()});
        m.put("y_init", new long[] {h});
        m.put("z_init", new long[] {h});
        return m;
    }

    /**
     * Seeded initialisation with the seed model's distributions (drawn from xorshift64, not
     * PyTorch's generator): truncated-normal (JAX style, ±2 std) LeCun init for every linear,
     * std {@code 1/sqrt(H)} for the token embedding, std 1 for {@code y_init}/{@code z_init}, zeros for
     * the summary token, a zero Q-head weight and a Q-head bias of -5.
     *
     * @param spec the model
     * @return the weights
     */
    public static TrmWeights seeded(TrmSpec spec) {
        if (spec == null) {
            throw new UnrollException("TrmWeights.seeded: the spec is null");
        }
        Map<String, long[]> shapes = shapes(spec);
        long values = 0;
        for (long[] s : shapes.values()) {
            values = Limits.product("the weights of " + spec.describe(), 1, values + Limits.arrayLength("a tensor of " + spec.describe(), s));
        }
        Limits.checkBudget("the seeded weights of " + spec.describe() + " (" + values + " f32 values)", Limits.product("weights", values, Float.BYTES));
        Xorshift64 rng = new Xorshift64(spec.seed());
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] s = e.getValue();
            float[] a = new float[(int) Arrays.stream(s).reduce(1, (x, y) -> x * y)];
            String n = e.getKey();
            if (n.equals("q_head.proj.bias")) {
                Arrays.fill(a, -5f);
            } else if (n.equals("q_head.proj.weight") || n.equals("input_embedding.summary_token")) {
                Arrays.fill(a, 0f);
            } else if (n.equals("y_init") || n.equals("z_init")) {
                Init.truncatedNormal(rng, a, 1.0, -2, 2);
            } else if (n.equals("input_embedding.token_embedding.weight")) {
                Init.truncatedNormal(rng, a, 1.0 / Math.sqrt(spec.hidden()), -2, 2);
            } else {
                Init.truncatedNormal(rng, a, 1.0 / Math.sqrt(s[1]), -2, 2);
            }
            m.put(n, a);
        }
        return new TrmWeights(spec, NamedTensors.of(spec.describe(), shapes(spec), m));
    }

    /**
     * Loads exactly the model's tensors (any float dtype) from a source.
     *
     * @param spec the model
     * @param source the tensors
     * @return the weights
     */
    public static TrmWeights load(TrmSpec spec, TensorSource source) {
        dev.unroll.runtime.internal.Checks.notNull("TrmWeights.load: spec", spec);
        dev.unroll.runtime.internal.Checks.notNull("TrmWeights.load: source", source);
        return new TrmWeights(spec, NamedTensors.load(spec.describe(), shapes(spec), source));
    }

    /** @return the model */
    public TrmSpec spec() {
        return spec;
    }

    /**
     * @param name a state_dict name
     * @return the tensor (not a copy: do not modify)
     */
    public float[] get(String name) {
        return tensors.get(name);
    }

    /**
     * @param layer a layer
     * @param suffix the name after {@code network.layers.<layer>.}
     * @return the tensor
     */
    public float[] layer(int layer, String suffix) {
        return get("network.layers." + layer + "." + suffix);
    }

    /**
     * @param factor multiplier
     * @return these weights with every {@code network.*} matrix scaled (the golden "netscale" variant)
     */
    public TrmWeights scaleNetwork(float factor) {
        return new TrmWeights(spec, tensors.map((name, a) -> {
            if (name.startsWith("network.")) {
                for (int i = 0; i < a.length; i++) {
                    a[i] *= factor;
                }
            }
            return a;
        }));
    }

    /**
     * What a model whose row projections are stored as {@code format} computes with: each block's
     * attention q/k/v and output projections and MLP gate/up and down projections replaced, row by
     * row, by the values the format holds. A reference for compact kernels.
     *
     * @param format a weight format
     * @return the weights
     */
    public TrmWeights storedAs(WeightFormat format) {
        dev.unroll.runtime.internal.Checks.notNull("TrmWeights.storedAs: format", format);
        Map<String, long[]> shapes = tensors.shapes();
        return new TrmWeights(spec, tensors.map((name, a) -> {
            boolean projection = name.startsWith("network.layers.") && (name.endsWith(".self_attn.qkv_proj.weight")
                    || name.endsWith(".self_attn.o_proj.weight") || name.endsWith(".mlp.gate_up_proj.weight") || name.endsWith(".mlp.down_proj.weight"));
            long[] shape = shapes.get(name);
            return projection ? CompactFormats.stored(format, a, (int) shape[0], (int) shape[1]) : a;
        }));
    }

    /**
     * @param writer destination
     * @param prefix prepended to each name
     */
    public void writeTo(SafetensorsWriter writer, String prefix) {
        dev.unroll.runtime.internal.Checks.notNull("TrmWeights.writeTo: writer", writer);
        dev.unroll.runtime.internal.Checks.notNull("TrmWeights.writeTo: prefix", prefix);
        tensors.writeTo(writer, prefix);
    }
}

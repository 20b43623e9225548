package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The weights of an fla {@code GatedDeltaNet} layer under the names of its PyTorch {@code state_dict}
 * ({@link #shapes}), F32: {@code q_proj.weight}, {@code k_proj.weight}, {@code v_proj.weight},
 * {@code a_proj.weight}, {@code b_proj.weight}, {@code A_log}, {@code dt_bias}, {@code q_conv1d.weight},
 * {@code k_conv1d.weight}, {@code v_conv1d.weight} (and their {@code .bias}), {@code g_proj.weight},
 * {@code o_norm.weight}, {@code o_proj.weight}. In a whole model's checkpoint the names carry the layer's
 * prefix, e.g. {@code model.layers.0.attn.}, which {@link #load(GatedDeltaNetConfig, TensorSource, String)} takes.
 *
 * <p>Loading is strict: every tensor of the configuration must be present with its shape and finite
 * values, and no other tensor may sit under the prefix (a tensor nobody reads would be a configuration
 * that does not match the checkpoint, e.g. {@code g_proj.weight} with {@code use_gate = false}). Each
 * failure is an {@link UnrollException} naming the tensor, its shape or value and the rule.
 *
 * <p>Immutable; the arrays are copies made at load time.
 */
public final class GatedDeltaNetWeights {
    private final GatedDeltaNetConfig config;
    private final Map<String, float[]> tensors;

    private GatedDeltaNetWeights(GatedDeltaNetConfig config, Map<String, float[]> tensors) {
        this.config = config;
        this.tensors = tensors;
    }

    /**
     * @param config the layer's configuration
     * @return every tensor's name in fla's {@code state_dict} (without a prefix) and its shape, in a fixed order
     */
    public static Map<String, long[]> shapes(GatedDeltaNetConfig config) {
        Checks.notNull("GatedDeltaNetWeights.shapes: the configuration", config);
        long d = config.hiddenSize();
        long key = config.keyDim();
        long value = config.valueDim();
        long hv = config.numVHeads();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("q_proj.weight", new long[] {key, d});
        m.put("k_proj.weight", new long[] {key, d});
        m.put("v_proj.weight", new long[] {value, d});
        m.put("a_proj.weight", new long[] {hv, d});
        m.put("b_proj.weight", new long[] {hv, d});
        m.put("A_log", new long[] {hv});
        m.put("dt_bias", new long[] {hv});
        if (config.useShortConv()) {
            for (String p : List.of("q", "k", "v")) {
                long channels = p.equals("v") ? value : key;
                m.put(p + "_conv1d.weight", new long[] {channels, 1, config.convSize()});
                if (config.convBias()) {
                    m.put(p + "_conv1d.bias", new long[] {channels});
                }
            }
        }
        if (config.useGate()) {
            m.put("g_proj.weight", new long[] {value, d});
        }
        m.put("o_norm.weight", new long[] {config.headVDim()});
        m.put("o_proj.weight", new long[] {d, value});
        return m;
    }

    /**
     * Loads a layer's {@code state_dict} saved as safetensors (names without a prefix).
     *
     * @param config the layer's configuration
     * @param file a safetensors file
     * @return the weights
     */
    public static GatedDeltaNetWeights load(GatedDeltaNetConfig config, Path file) {
        Checks.notNull("GatedDeltaNetWeights.load: the file", file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return load(config, TensorSource.of(f), "");
        }
    }

    /**
     * Loads the tensors named {@code prefix + name} for every name of {@link #shapes}.
     *
     * @param config the layer's configuration
     * @param source the tensors, e.g. {@code TensorSource.of(SafetensorsFile.open(path))}
     * @param prefix the layer's prefix in the checkpoint ({@code ""} for a layer's own {@code state_dict},
     *     {@code "model.layers.3.attn."} for layer 3 of an fla GatedDeltaNet model)
     * @return the weights
     * @throws UnrollException for a missing, misshapen or non-finite tensor, or another tensor under the prefix
     */
    public static GatedDeltaNetWeights load(GatedDeltaNetConfig config, TensorSource source, String prefix) {
        Checks.notNull("GatedDeltaNetWeights.load: the configuration", config);
        Checks.notNull("GatedDeltaNetWeights.load: the tensors", source);
        Checks.notNull("GatedDeltaNetWeights.load: the prefix", prefix);
        Map<String, long[]> shapes = shapes(config);
        String where = "GatedDeltaNet weights in " + source.description();
        List<String> extra = new ArrayList<>();
        for (String n : source.names()) {
            if (n.startsWith(prefix) && !shapes.containsKey(n.substring(prefix.length()))) {
                extra.add(n);
            }
        }
        if (!extra.isEmpty()) {
            throw new UnrollException(where + ": tensor '" + extra.get(0) + "'" + (extra.size() > 1 ? " (and " + (extra.size() - 1) + " more)" : "")
                    + " is not a GatedDeltaNet weight of this configuration (" + describe(config) + "); its tensors are "
                    + String.join(", ", shapes.keySet()));
        }
        long total = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = prefix + e.getKey();
            if (!source.names().contains(name)) {
                throw new UnrollException(where + ": missing tensor '" + name + "' " + Arrays.toString(e.getValue()) + " (needed with "
                        + describe(config) + ")");
            }
            long[] actual = source.shape(name);
            if (!Arrays.equals(actual, e.getValue())) {
                throw new ShapeMismatchException(where, name, e.getValue(), actual);
            }
            total += Limits.product(name, e.getValue());
        }
        Limits.checkBudget(where, 4 * total);
        Map<String, float[]> loaded = new LinkedHashMap<>();
        for (String n : shapes.keySet()) {
            float[] a = source.floats(prefix + n);
            finite(where, prefix + n, a);
            loaded.put(n, a);
        }
        return new GatedDeltaNetWeights(config, loaded);
    }

    private static void finite(String where, String name, float[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new UnrollException(where + ": tensor '" + name + "' holds " + a[i] + " at flat index " + i + ": weights must be finite");
            }
        }
    }

    /**
     * Weights drawn from a seed (not fla's torch draws): projections uniform in {@code ±1/sqrt(fan_in)} as
     * {@code nn.Linear} initialises them, {@code A_log = log(U(1, 16))}, {@code dt_bias} the inverse softplus of
     * a step in [0.001, 0.1], convolutions uniform in {@code ±1/sqrt(W)}, the norm's weight {@code 1 + U(-0.1, 0.1)}.
     * For tests and sizing; real weights come from {@link #load}.
     *
     * @param config the layer's configuration
     * @param seed the seed
     * @return the weights
     */
    public static GatedDeltaNetWeights seeded(GatedDeltaNetConfig config, long seed) {
        Map<String, long[]> shapes = shapes(config);
        long total = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            total += Limits.product(e.getKey(), e.getValue());
        }
        Limits.checkBudget("seeded GatedDeltaNet weights (" + describe(config) + ")", 4 * total);
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] s = e.getValue();
            float[] a = new float[Limits.arrayLength(e.getKey(), s)];
            String n = e.getKey();
            for (int i = 0; i < a.length; i++) {
                double u = r.nextDouble();
                if (n.equals("A_log")) {
                    a[i] = (float) Math.log(1 + 15 * u);
                } else if (n.equals("dt_bias")) {
                    double dt = Math.exp(Math.log(0.001) + u * (Math.log(0.1) - Math.log(0.001)));
                    a[i] = (float) (dt + Math.log(-Math.expm1(-dt)));
                } else if (n.equals("o_norm.weight")) {
                    a[i] = (float) (1 + 0.2 * (u - 0.5));
                } else {
                    double bound = 1 / Math.sqrt(s[s.length - 1]);
                    a[i] = (float) (bound * (2 * u - 1));
                }
            }
            m.put(n, a);
        }
        return new GatedDeltaNetWeights(config, m);
    }

    /** @return the configuration these weights are for */
    public GatedDeltaNetConfig config() {
        return config;
    }

    /**
     * @param name a name of {@link #shapes}, without a prefix
     * @return a copy of that tensor's values, row-major
     */
    public float[] get(String name) {
        float[] a = tensors.get(name);
        if (a == null) {
            throw new UnrollException("GatedDeltaNet weights: no tensor '" + name + "' in this configuration; its tensors are "
                    + String.join(", ", tensors.keySet()));
        }
        return a.clone();
    }

    /** The array itself, for the layer (no copy). */
    float[] array(String name) {
        return tensors.get(name);
    }

    static String describe(GatedDeltaNetConfig c) {
        return "hidden_size " + c.hiddenSize() + ", num_heads " + c.numHeads() + ", num_v_heads " + c.numVHeads() + ", head_dim " + c.headDim()
                + ", expand_v " + c.expandV() + ", use_gate " + c.useGate() + ", use_short_conv " + c.useShortConv() + ", conv_size "
                + c.convSize() + ", conv_bias " + c.convBias();
    }

    @Override
    public String toString() {
        return "GatedDeltaNetWeights(" + describe(config) + ")";
    }
}

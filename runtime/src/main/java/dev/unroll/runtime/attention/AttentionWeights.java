package dev.unroll.runtime.attention;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.definition.HeadTensors;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.internal.random.Xorshift64;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.weights.CompactFormats;
import dev.unroll.runtime.weights.NamedTensors;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a linear-attention layer in f64, by canonical name ({@link WeightLayout}).
 * Generated kernels pack them into their own fused layout; this is the exchange form.
 *
 * <p>Thread-safety: immutable ({@link #get} returns copies).
 */
public final class AttentionWeights {
    /** Scale of every seeded weight: {@code 0.01 * N(0, 1)}, as the reference. */
    public static final double INIT_SCALE = 0.01;

    private final AttentionSpec spec;
    private final Map<String, double[]> tensors;

    private AttentionWeights(AttentionSpec spec, Map<String, double[]> tensors) {
        this.spec = spec;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Draws every weight as {@code 0.01 * N(0,1)} from xorshift64 seeded with the spec's seed, in
     * the reference's draw order.
     *
     * @param spec the layer
     * @return the weights
     */
    public static AttentionWeights seeded(AttentionSpec spec) {
        if (spec == null) {
            throw new UnrollException("AttentionWeights.seeded: the spec is null");
        }
        List<WeightTensor> layout = WeightLayout.of(spec);
        long values = 0;
        for (WeightTensor t : layout) {
            values = Limits.product("the weights of " + spec.describe(), 1, values + t.size());
        }
        // before drawing: a descriptor of a few bytes (a digest-only reference file, say) must not ask for gigabytes unchecked
        Limits.checkBudget("the seeded weights of " + spec.describe() + " (" + values + " f64 values)", Limits.product("weights", values, Double.BYTES));
        Xorshift64 rng = new Xorshift64(spec.seed());
        Map<String, double[]> m = new LinkedHashMap<>();
        for (WeightTensor t : layout) {
            double[] a = new double[t.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = INIT_SCALE * rng.nextNormal();
            }
            m.put(t.name(), a);
        }
        return new AttentionWeights(spec, m);
    }

    /**
     * Loads weights by canonical name; the source must hold exactly the layer's tensors.
     *
     * @param spec the layer
     * @param source the tensors (filter a mixed file first)
     * @return the weights
     */
    public static AttentionWeights load(AttentionSpec spec, TensorSource source) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionWeights.load: spec", spec);
        dev.unroll.runtime.internal.Checks.notNull("AttentionWeights.load: source", source);
        List<WeightTensor> layout = WeightLayout.of(spec);
        Map<String, long[]> expected = new java.util.LinkedHashMap<>();
        for (WeightTensor t : layout) {
            expected.put(t.name(), t.longShape());
        }
        NamedTensors.requireExactly(spec.describe(), expected, source);
        Map<String, double[]> m = new LinkedHashMap<>();
        for (WeightTensor t : layout) {
            double[] data = source.doubles(t.name());
            for (int i = 0; i < data.length; i++) {
                if (!Double.isFinite(data[i])) {
                    throw new UnrollException(source.description() + ": tensor '" + t.name() + "' element " + i + " is " + data[i]);
                }
            }
            m.put(t.name(), data);
        }
        return new AttentionWeights(spec, m);
    }

    /** @return the layer these weights belong to */
    public AttentionSpec spec() {
        return spec;
    }

    /**
     * @param name canonical name
     * @return a copy of the tensor
     */
    public double[] get(String name) {
        return raw(name).clone();
    }

    /** The array itself, for the engines of this package. */
    double[] raw(String name) {
        double[] a = tensors.get(name);
        if (a == null) {
            throw new UnrollException("no weight '" + name + "' in " + spec.describe());
        }
        return a;
    }

    /**
     * @param head head index
     * @param field per-head field such as {@code w_key}
     * @return the array itself (not a copy)
     */
    double[] head(int head, String field) {
        return raw("heads." + head + "." + field);
    }

    /**
     * What a layer whose projections are stored as {@code format} computes with: every tensor of the
     * fused input projection (key, value and query rows, the mode's projected rows) and
     * {@code w_out} replaced, row by row, by the values the format holds (F32 rounding first, as
     * the layers convert); element-wise weights unchanged. A reference for compact kernels.
     *
     * @param format a weight format
     * @return the weights
     */
    public AttentionWeights storedAs(WeightFormat format) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionWeights.storedAs: format", format);
        java.util.Set<String> projected = new java.util.HashSet<>();
        ModeDefinition mode = Modes.of(spec.mode());
        if (mode.usesKey()) {
            projected.add("w_key");
        }
        if (mode.usesValue()) {
            projected.add("w_value");
        }
        if (mode.usesQuery()) {
            projected.add("w_query");
        }
        for (HeadTensors.Entry e : WeightLayout.modeTensors(spec)) {
            if (e.projection()) {
                projected.add(e.field());
            }
        }
        Map<String, double[]> m = new LinkedHashMap<>(tensors);
        for (WeightTensor t : WeightLayout.of(spec)) {
            if (t.name().equals("w_out") || projected.contains(t.field())) {
                int cols = t.shape()[t.shape().length - 1];
                double[] d = m.get(t.name());
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                float[] s = CompactFormats.stored(format, f, d.length / cols, cols);
                double[] out = new double[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = s[i];
                }
                m.put(t.name(), out);
            }
        }
        return new AttentionWeights(spec, m);
    }

    /** @return canonical names in draw order */
    public java.util.Set<String> names() {
        return tensors.keySet();
    }

    /**
     * Adds every tensor to a safetensors writer under its canonical name.
     *
     * @param writer destination
     * @param dtype stored type (F64 keeps them exact)
     * @param prefix prepended to each name (usually empty)
     */
    public void writeTo(SafetensorsWriter writer, DType dtype, String prefix) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionWeights.writeTo: writer", writer);
        dev.unroll.runtime.internal.Checks.notNull("AttentionWeights.writeTo: dtype", dtype);
        dev.unroll.runtime.internal.Checks.notNull("AttentionWeights.writeTo: prefix", prefix);
        for (WeightTensor t : WeightLayout.of(spec)) {
            writer.add(prefix + t.name(), dtype, t.longShape(), tensors.get(t.name()));
        }
    }
}

package dev.unroll.runtime.transformer;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.RopeLayouts;
import dev.unroll.runtime.weights.BlockCodes;
import dev.unroll.runtime.weights.CompactFormats;
import dev.unroll.runtime.weights.NamedTensors;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoder weights under Hugging Face Llama names (row-major {@code [out][in]}):
 * {@code model.embed_tokens.weight [V][d]}; per layer {@code model.layers.N.input_layernorm.weight [d]},
 * {@code .self_attn.q_proj.weight [qd][d]}, {@code .k_proj.weight [kv][d]}, {@code .v_proj.weight [kv][d]},
 * {@code .o_proj.weight [d][qd]} (qd = heads * head width: d unless {@code headDim} says otherwise), {@code .post_attention_layernorm.weight [d]},
 * {@code .mlp.gate_proj.weight [F][d]}, {@code .mlp.up_proj.weight [F][d]}, {@code .mlp.down_proj.weight [d][F]};
 * {@code model.norm.weight [d]}; {@code lm_head.weight [V][d]} when the classifier is not tied. With
 * {@code qkvBias} (Qwen2) each layer adds {@code .self_attn.q_proj.bias [qd]}, {@code .k_proj.bias [kv]},
 * {@code .v_proj.bias [kv]}; with {@code qkNorm} (Qwen3) {@code .self_attn.q_norm.weight [hd]} and
 * {@code .k_norm.weight [hd]}. The rows of q and k follow the spec's {@link dev.unroll.annotations.RopeLayout}.
 *
 * <p>Thread-safety: immutable by contract: {@link #get} returns the stored arrays themselves (models
 * share them without copying), so read them and never write them. Weights opened from a file
 * ({@link Llama2c#open}) are read tensor by tensor on demand instead, and matrices a file stores in
 * blocks ({@link #blockCodes}) are widened on demand ({@link #isResident()}).
 */
public final class TransformerWeights {
    private final TransformerSpec spec;
    /** The tensors in memory, or null when they are read on demand. */
    private final NamedTensors tensors;
    /** Reads one tensor from its file (null when in memory). */
    private final Reader reader;

    /** Reads a tensor of {@link #shapes} from where it is stored: a fresh, checked array each call. */
    interface Reader {
        /**
         * @param name a tensor of the model
         * @return its elements, row-major
         * @throws UnrollException when they cannot be read, are not finite, or the file changed
         */
        float[] read(String name);

        /** @return where the tensors are, for messages */
        String description();

        /**
         * @param name a tensor of the model
         * @return its codes and scales when it is held in blocks, else null
         */
        default BlockCodes blockCodes(String name) {
            return null;
        }

        /**
         * @param name a matrix of the model
         * @param first its first row wanted
         * @param count rows
         * @param cols its columns
         * @return those rows, row-major, checked as {@link #read} checks; read alone when
         *     {@link #readsRows()}, else cut from the whole tensor
         */
        default float[] readRows(String name, int first, int count, int cols) {
            return java.util.Arrays.copyOfRange(read(name), first * cols, (first + count) * cols);
        }

        /** @return whether {@link #readRows} reads only the rows asked for */
        default boolean readsRows() {
            return false;
        }

        /**
         * @param name a tensor of the model
         * @return the block format it is held in ({@link #blockCodes}), or null
         */
        default WeightFormat blockFormat(String name) {
            BlockCodes c = blockCodes(name);
            return c == null ? null : c.format();
        }

        /**
         * @param name a matrix of the model held in blocks
         * @param first its first row wanted
         * @param count rows
         * @return those rows' codes and scales, or null when it is not held in blocks
         */
        default BlockCodes blockRows(String name, int first, int count) {
            BlockCodes c = blockCodes(name);
            return c == null ? null : c.rows(first, count);
        }
    }

    private TransformerWeights(TransformerSpec spec, NamedTensors tensors) {
        this.spec = spec;
        this.tensors = tensors;
        this.reader = null;
    }

    /** Tensors read from their file when asked for (see {@link #isResident()}). */
    TransformerWeights(TransformerSpec spec, Reader reader) {
        this.spec = spec;
        this.tensors = null;
        this.reader = reader;
    }

    /** Arrays in memory, exactly the model's tensors (a loader's result). */
    TransformerWeights(TransformerSpec spec, Map<String, float[]> tensors) {
        this(spec, NamedTensors.of(spec.describe(), shapes(spec), tensors));
    }

    /**
     * @param spec the model
     * @return every tensor name and shape
     */
    public static Map<String, long[]> shapes(TransformerSpec spec) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.shapes: spec", spec);
        Map<String, long[]> m = new LinkedHashMap<>();
        long d = spec.width();
        long qd = spec.queryWidth();
        long kv = spec.kvWidth();
        long f = spec.ffnHidden();
        m.put("model.embed_tokens.weight", new long[] {spec.vocab(), d});
        for (int l = 0; l < spec.layers(); l++) {
            String p = "model.layers." + l + ".";
            m.put(p + "input_layernorm.weight", new long[] {d});
            m.put(p + "self_attn.q_proj.weight", new long[] {qd, d});
            m.put(p + "self_attn.k_proj.weight", new long[] {kv, d});
            m.put(p + "self_attn.v_proj.weight", new long[] {kv, d});
            if (spec.qkvBias()) {
                m.put(p + "self_attn.q_proj.bias", new long[] {qd});
                m.put(p + "self_attn.k_proj.bias", new long[] {kv});
                m.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            if (spec.qkNorm()) {
                m.put(p + "self_attn.q_norm.weight", new long[] {spec.headWidth()});
                m.put(p + "self_attn.k_norm.weight", new long[] {spec.headWidth()});
            }
            m.put(p + "self_attn.o_proj.weight", new long[] {d, qd});
            m.put(p + "post_attention_layernorm.weight", new long[] {d});
            m.put(p + "mlp.gate_proj.weight", new long[] {f, d});
            m.put(p + "mlp.up_proj.weight", new long[] {f, d});
            m.put(p + "mlp.down_proj.weight", new long[] {d, f});
        }
        m.put("model.norm.weight", new long[] {d});
        if (!spec.tiedClassifier()) {
            m.put("lm_head.weight", new long[] {spec.vocab(), d});
        }
        return m;
    }

    /**
     * Seeded weights for a decoder no checkpoint fits (tests, benchmarks, a new project's first run):
     * {@link #seeded(TransformerSpec, long)} with seed 7.
     *
     * @param spec the model
     * @return its weights
     * @throws UnrollException when they do not fit the heap
     */
    public static TransformerWeights seeded(TransformerSpec spec) {
        return seeded(spec, 7);
    }

    /**
     * Seeded weights: each matrix's entries Gaussian with variance {@code 1/in} (rows of unit norm on
     * average, so activations keep their scale), each norm's weights {@code 1 + 0.1 N(0,1)}, each bias
     * {@code 0.1 N(0,1)}; logits come
     * out of order 1 to 10. Drawn from {@link java.util.SplittableRandom} in {@link #shapes} order, so
     * the same spec and seed give the same bits on every JVM.
     *
     * @param spec the model
     * @param seed any value
     * @return its weights
     * @throws UnrollException when they do not fit the heap (checked before anything is allocated)
     */
    public static TransformerWeights seeded(TransformerSpec spec, long seed) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.seeded: spec", spec);
        Map<String, long[]> shapes = shapes(spec);
        long values = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            values = Limits.product("the weights of " + spec.describe(), 1,
                    values + Limits.arrayLength("tensor " + e.getKey() + " of " + spec.describe(), e.getValue()));
        }
        Limits.checkBudget("the seeded weights of " + spec.describe() + " (" + values + " f32 values)", Limits.product("weights", values, Float.BYTES));
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] shape = e.getValue();
            float[] a = new float[Limits.arrayLength(e.getKey(), shape)];
            boolean bias = e.getKey().endsWith(".bias");
            boolean norm = shape.length == 1 && !bias;
            double scale = norm ? 0 : bias ? 0.1 : 1 / Math.sqrt(shape[shape.length - 1]);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (norm ? 1 + 0.1 * r.nextGaussian() : scale * r.nextGaussian());
            }
            tensors.put(e.getKey(), a);
        }
        return new TransformerWeights(spec, tensors);
    }

    /**
     * Loads exactly the model's tensors (Hugging Face safetensors or any source).
     *
     * @param spec the model
     * @param source tensors under the names above
     * @return the weights
     */
    public static TransformerWeights load(TransformerSpec spec, TensorSource source) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.load: spec", spec);
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.load: source", source);
        Map<String, long[]> shapes = shapes(spec);
        NamedTensors.requireExactly(spec.describe(), shapes, source);
        Map<String, BlockCodes> coded = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            BlockCodes c = e.getValue().length == 2 ? source.blockCodes(e.getKey()) : null;
            if (c != null) {
                if (c.rows() != e.getValue()[0] || c.cols() != e.getValue()[1]) {
                    throw new dev.unroll.runtime.ShapeMismatchException(source.description() + " (as " + spec.describe() + ")", e.getKey(), e.getValue(),
                            new long[] {c.rows(), c.cols()});
                }
                coded.put(e.getKey(), c);
            }
        }
        if (coded.isEmpty()) {
            return new TransformerWeights(spec, NamedTensors.load(spec.describe(), shapes, source));
        }
        return new TransformerWeights(spec, CodedTensors.load(source, shapes, coded));
    }

    /**
     * @param name a tensor
     * @return its codes and scales when these weights hold it as a file stored it in blocks (a GGUF
     *     file's Q8_0 or Q4_0 matrix, see {@link TensorSource#blockCodes}), else null
     */
    public BlockCodes blockCodes(String name) {
        return reader == null ? null : reader.blockCodes(name);
    }

    /**
     * Weights read from {@code source} one tensor at a time, when a model asks for them: a generated
     * model packs each matrix (a file's Q8_0 or Q4_0 blocks as they are) and drops what it read before
     * the next, so neither the file's weights nor their F32 widening are ever in memory whole. The names
     * and shapes are checked now; the source must stay open until the model is built.
     *
     * @param spec the model
     * @param source tensors under the names of {@link #shapes}, open
     * @return the weights, not resident ({@link #isResident()})
     * @throws UnrollException naming every missing and extra tensor
     * @throws dev.unroll.runtime.ShapeMismatchException for the first wrongly-shaped tensor
     */
    public static TransformerWeights onDemand(TransformerSpec spec, TensorSource source) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.onDemand: spec", spec);
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.onDemand: source", source);
        NamedTensors.requireExactly(spec.describe(), shapes(spec), source);
        return new TransformerWeights(spec, new SourceReader(source, shapes(spec)));
    }

    /** @return the model */
    public TransformerSpec spec() {
        return spec;
    }

    /**
     * @param name a tensor
     * @return it (do not modify); for weights read on demand, a fresh array read from the file now
     * @throws UnrollException when there is no such tensor, or (read on demand) it cannot be read, is
     *     not finite, or its file changed since it was opened
     */
    public float[] get(String name) {
        if (tensors != null) {
            return tensors.get(name);
        }
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.get: name", name);
        if (!shapes(spec).containsKey(name)) {
            throw new UnrollException("no tensor '" + name + "' in " + spec.describe());
        }
        return reader.read(name);
    }

    /**
     * @param name a tensor
     * @return the block format these weights hold it in as a file stored it ({@link #blockCodes}:
     *     Q8 or Q4), or null; answered from the file's header, without reading the tensor
     * @throws UnrollException when there is no such tensor
     */
    public WeightFormat blockFormat(String name) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.blockFormat: name", name);
        if (!shapes(spec).containsKey(name)) {
            throw new UnrollException("no tensor '" + name + "' in " + spec.describe());
        }
        return reader == null ? null : reader.blockFormat(name);
    }

    /**
     * Rows of a matrix's codes and scales, for a model that packs them a chunk at a time: from a file
     * only those rows' blocks are read.
     *
     * @param name a matrix held in blocks ({@link #blockFormat} not null)
     * @param first its first row wanted
     * @param count rows, at least 1
     * @return those rows' codes and scales, or null when the matrix is not held in blocks
     * @throws UnrollException when there is no such matrix, the rows are outside it, or they cannot be read
     */
    public BlockCodes blockCodes(String name, int first, int count) {
        int cols = checkRows("TransformerWeights.blockCodes", name, first, count);
        if (reader == null) {
            return null;
        }
        BlockCodes c = reader.blockRows(name, first, count);
        if (c != null && (c.rows() != count || c.cols() != cols)) {
            throw new dev.unroll.runtime.ShapeMismatchException(reader.description(), name + " rows " + first + ".." + (first + count - 1),
                    new long[] {count, cols}, new long[] {c.rows(), c.cols()});
        }
        return c;
    }

    /** Checks a range of a matrix's rows; returns its columns. */
    private int checkRows(String what, String name, int first, int count) {
        dev.unroll.runtime.internal.Checks.notNull(what + ": name", name);
        long[] shape = shapes(spec).get(name);
        if (shape == null || shape.length != 2) {
            throw new UnrollException(shape == null ? "no tensor '" + name + "' in " + spec.describe()
                    : "tensor '" + name + "' of " + spec.describe() + " has " + shape.length + " dimension, not a matrix's rows");
        }
        String bad = dev.unroll.runtime.internal.Checks.rowRangeError("'" + name + "'", first, count, shape[0]);
        if (bad != null) {
            throw new UnrollException(what + ": " + bad);
        }
        return (int) shape[1];
    }

    /**
     * Rows of a matrix, for a model that packs it a chunk at a time: from a file that can read a
     * range ({@link #readsRows()}) only those rows are read.
     *
     * @param name a matrix (a tensor of two dimensions)
     * @param first its first row wanted
     * @param count rows, at least 1
     * @return rows {@code first .. first + count - 1}, row-major, a fresh array
     * @throws UnrollException when there is no such matrix, the rows are outside it, or (read on
     *     demand) they cannot be read, are not finite, or the file changed since it was opened
     */
    public float[] rows(String name, int first, int count) {
        int cols = checkRows("TransformerWeights.rows", name, first, count);
        if (tensors != null) {
            return java.util.Arrays.copyOfRange(tensors.get(name), first * cols, (first + count) * cols);
        }
        return reader.readRows(name, first, count, cols);
    }

    /**
     * @return whether {@link #rows} reads only the rows it is asked for (weights opened from a llama2.c
     *     checkpoint, {@link Llama2c#open}, or read on demand from a source that reads rows,
     *     {@link TensorSource#readsRows()}: a GGUF file's), so that a model packing a matrix a chunk at a
     *     time never holds it whole in F32; false for weights in memory and other sources (a chunk is
     *     cut from the whole tensor)
     */
    public boolean readsRows() {
        return reader != null && reader.readsRows();
    }

    /**
     * @return whether every tensor is in memory as F32; weights from {@link Llama2c#open} are read from
     *     their file each time {@link #get} asks for one, so that a model packing them one at a time
     *     never holds the whole file twice, and matrices kept as block codes are widened each time
     */
    public boolean isResident() {
        return tensors != null;
    }

    /**
     * @return these weights with every tensor in memory: this object when they already are, else every
     *     tensor read now (checked against the memory budget first)
     * @throws UnrollException when they exceed the budget or cannot be read
     */
    public TransformerWeights resident() {
        if (tensors != null) {
            return this;
        }
        long floats = 0;
        for (long[] shape : shapes(spec).values()) {
            floats += dev.unroll.runtime.Limits.arrayLength(reader.description(), shape);
        }
        dev.unroll.runtime.Limits.checkBudget(reader.description() + ": the weights of " + spec.describe(), dev.unroll.runtime.Limits.product("weights", 4, floats));
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String n : shapes(spec).keySet()) {
            m.put(n, reader.read(n));
        }
        return new TransformerWeights(spec, m);
    }

    /**
     * @param layer a layer
     * @param suffix name after {@code model.layers.N.}
     * @return the tensor
     */
    public float[] layer(int layer, String suffix) {
        return get("model.layers." + layer + "." + suffix);
    }

    /** @return the classifier matrix [V][d] (the embedding when tied) */
    public float[] classifier() {
        return spec.tiedClassifier() ? get("model.embed_tokens.weight") : get("lm_head.weight");
    }

    /** @return a name-to-array view, for writers and converters (weights read on demand are read now, whole) */
    public Map<String, float[]> tensors() {
        return resident().tensors.asMap();
    }

    /**
     * What a model whose matrices are stored as {@code format} computes with: each projection and
     * the classifier replaced by the values the format holds, the classifier untied (the
     * embedding lookups stay F32). A reference for compact kernels: a generic engine on these
     * weights computes their function.
     *
     * @param format a weight format
     * @return the weights, for the same spec with an untied classifier
     */
    public TransformerWeights storedAs(WeightFormat format) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.storedAs: format", format);
        Map<String, float[]> m = new LinkedHashMap<>(tensors());
        m.put("lm_head.weight", CompactFormats.stored(format, classifier(), spec.vocab(), spec.width()));
        for (Map.Entry<String, long[]> e : shapes(spec).entrySet()) {
            if (e.getKey().startsWith("model.layers.") && e.getValue().length == 2) {
                m.put(e.getKey(), CompactFormats.stored(format, m.get(e.getKey()), (int) e.getValue()[0], (int) e.getValue()[1]));
            }
        }
        TransformerSpec untied = spec.with(TransformerSpec.TIED_CLASSIFIER, false);
        return new TransformerWeights(untied, m);
    }

    /**
     * The same model with its q and k rows permuted to another RoPE layout: the same function.
     *
     * @param target the layout wanted
     * @return weights for {@code spec().withRope(target)}
     */
    public TransformerWeights withRope(dev.unroll.annotations.RopeLayout target) {
        if (dev.unroll.runtime.internal.Checks.notNull("TransformerWeights.withRope: target", target) == spec.rope()) {
            return this;
        }
        Map<String, float[]> m = new LinkedHashMap<>(tensors());
        for (int l = 0; l < spec.layers(); l++) {
            for (String qk : new String[] {"self_attn.q_proj.weight", "self_attn.k_proj.weight"}) {
                String n = "model.layers." + l + "." + qk;
                int rows = qk.startsWith("self_attn.q") ? spec.queryWidth() : spec.kvWidth();
                m.put(n, RopeLayouts.permuteRows(m.get(n), rows, spec.width(), spec.headWidth(), target));
            }
            // a bias is a column of its projection's rows; a head norm's weight one head's channels
            for (String v : spec.qkvBias() ? new String[] {"self_attn.q_proj.bias", "self_attn.k_proj.bias"} : new String[0]) {
                String n = "model.layers." + l + "." + v;
                m.put(n, RopeLayouts.permuteRows(m.get(n), m.get(n).length, 1, spec.headWidth(), target));
            }
            for (String v : spec.qkNorm() ? new String[] {"self_attn.q_norm.weight", "self_attn.k_norm.weight"} : new String[0]) {
                String n = "model.layers." + l + "." + v;
                m.put(n, RopeLayouts.permuteRows(m.get(n), spec.headWidth(), 1, spec.headWidth(), target));
            }
        }
        return new TransformerWeights(spec.withRope(target), m);
    }
}

package dev.unroll.runtime.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.InvalidDescriptorException;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import dev.unroll.runtime.spec.Range;
import dev.unroll.runtime.spec.TableBuilder;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Llama-family decoder descriptor ({@link dev.unroll.annotations.Transformer}) with its optional
 * compile-time recurrent block ({@link dev.unroll.annotations.RecurrentPass}). Each annotation member is
 * one {@link Parameter} in {@link #PARAMETERS} (and {@link #BLOCK_PARAMETERS} for the block), with its
 * Hugging Face {@code config.json} key as the reference key: the table the processor's reader, the
 * builder, JSON, {@link #describe()} and the docs loop over. {@code kvHeads} 0 means "as many as
 * {@code heads}" and is resolved when the spec is built.
 *
 * <p>Immutable; read a member with {@link #get} or its accessor.
 */
public final class TransformerSpec {
    /** Decoder layers. */
    public static final Parameter<Integer> LAYERS = Parameter.integer("layers", null, Range.positive(), "num_hidden_layers", "decoder layers");
    /** Model width d. */
    public static final Parameter<Integer> WIDTH = Parameter.integer("width", null, Range.positive(), "hidden_size", "model width d");
    /** Query heads. */
    public static final Parameter<Integer> HEADS = Parameter.integer("heads", null, Range.positive(), "num_attention_heads", "query heads");
    /** Key/value heads; 0 means {@code heads}. */
    public static final Parameter<Integer> KV_HEADS = Parameter.integer("kvHeads", 0, Range.any(), "num_key_value_heads",
            "key/value heads (grouped-query attention); 0 means as many as heads");
    /** Feed-forward hidden width. */
    public static final Parameter<Integer> FFN_HIDDEN = Parameter.integer("ffnHidden", null, Range.positive(), "intermediate_size",
            "feed-forward (SwiGLU) hidden width");
    /** Vocabulary. */
    public static final Parameter<Integer> VOCAB = Parameter.integer("vocab", null, Range.positive(), "vocab_size", "vocabulary");
    /** KV-cache capacity. */
    public static final Parameter<Integer> MAX_SEQ = Parameter.integer("maxSeq", null, Range.positive(), "max_position_embeddings",
            "positions the KV caches hold");
    /** RoPE base. */
    public static final Parameter<Double> ROPE_THETA = Parameter.real("ropeTheta", 10000.0, Range.positiveReal(""), "rope_theta", "RoPE base");
    /** RMS norm epsilon. */
    public static final Parameter<Double> NORM_EPS = Parameter.real("normEps", 1e-5, Range.positiveReal(""), "rms_norm_eps", "RMS norm epsilon");
    /** Whether the classifier is the embedding. */
    public static final Parameter<Boolean> TIED_CLASSIFIER = Parameter.flag("tiedClassifier", true, "tie_word_embeddings",
            "whether the classifier is the token embedding");
    /** RoPE pairing. */
    public static final Parameter<RopeLayout> ROPE = Parameter.choice("rope", RopeLayout.class, RopeLayout.INTERLEAVED, null,
            "RoPE pairing: INTERLEAVED (llama2.c, Meta) or HALF_SPLIT (Hugging Face)");

    /** Llama 3's RoPE scaling factor: the low frequencies are divided by it; 1 leaves every frequency as it is. */
    public static final Parameter<Double> ROPE_SCALING = Parameter.real("ropeScaling", 1.0,
            Range.interval(1, true, Double.POSITIVE_INFINITY, false, ": 1 leaves the frequencies unscaled"), "rope_scaling.factor",
            "Llama 3 RoPE scaling: the low frequencies divided by it, the middle band interpolated; 1 means unscaled");
    /** Llama 3 scaling: wavelengths above {@code ropeOriginalMaxSeq / ropeLowFreqFactor} are scaled. */
    public static final Parameter<Double> ROPE_LOW_FREQ_FACTOR = Parameter.real("ropeLowFreqFactor", 1.0, Range.positiveReal(""),
            "rope_scaling.low_freq_factor", "Llama 3 scaling: wavelengths above ropeOriginalMaxSeq / this are divided by ropeScaling");
    /** Llama 3 scaling: wavelengths below {@code ropeOriginalMaxSeq / ropeHighFreqFactor} are kept. */
    public static final Parameter<Double> ROPE_HIGH_FREQ_FACTOR = Parameter.real("ropeHighFreqFactor", 4.0, Range.positiveReal(""),
            "rope_scaling.high_freq_factor", "Llama 3 scaling: wavelengths below ropeOriginalMaxSeq / this are kept");
    /** Llama 3 scaling: the context the model was trained at before scaling. */
    public static final Parameter<Integer> ROPE_ORIGINAL_MAX_SEQ = Parameter.integer("ropeOriginalMaxSeq", 8192, Range.positive(),
            "rope_scaling.original_max_position_embeddings", "Llama 3 scaling: the context before scaling");

    /** The members of Llama 3's RoPE scaling: they apply only when {@code ropeScaling} is not 1. */
    public static final List<Parameter<?>> ROPE_SCALING_PARAMETERS = List.of(ROPE_SCALING, ROPE_LOW_FREQ_FACTOR, ROPE_HIGH_FREQ_FACTOR,
            ROPE_ORIGINAL_MAX_SEQ);

    /** Biases on the q, k and v projections (Qwen2). */
    public static final Parameter<Boolean> QKV_BIAS = Parameter.flag("qkvBias", false, null,
            "biases added to the q, k and v projections (Qwen2's q_proj.bias, k_proj.bias, v_proj.bias)");
    /** RMSNorm of every query and key head before RoPE (Qwen3). */
    public static final Parameter<Boolean> QK_NORM = Parameter.flag("qkNorm", false, null,
            "RMSNorm of each query and key head before RoPE, one weight of head width each (Qwen3's q_norm, k_norm)");

    /** Head width when it is not {@code width / heads} (Qwen3-0.6B: 128 where 1024 / 16 is 64); 0 means {@code width / heads}. */
    public static final Parameter<Integer> HEAD_DIM = Parameter.integer("headDim", 0, Range.any(), "head_dim",
            "query/key/value head width; 0 means width / heads (the queries are then heads * headDim wide)");

    /** Every member of {@code @Transformer} but {@code weights}, in declaration order. */
    public static final List<Parameter<?>> PARAMETERS = List.of(LAYERS, WIDTH, HEADS, KV_HEADS, FFN_HIDDEN, VOCAB, MAX_SEQ, ROPE_THETA, NORM_EPS,
            TIED_CLASSIFIER, ROPE, ROPE_SCALING, ROPE_LOW_FREQ_FACTOR, ROPE_HIGH_FREQ_FACTOR, ROPE_ORIGINAL_MAX_SEQ, QKV_BIAS, QK_NORM, HEAD_DIM);

    /** The recurrent block's first layer. */
    public static final Parameter<Integer> LOOP_START = Parameter.integer("loopStart", null, Range.any(), null, "first layer of the recurrent block");
    /** The recurrent block's last layer (inclusive). */
    public static final Parameter<Integer> LOOP_END = Parameter.integer("loopEnd", null, Range.any(), null, "last layer of the recurrent block");
    /** Passes over the block. */
    public static final Parameter<Integer> DEPTH = Parameter.integer("depth", 2, Range.any(), null, "passes over the block per token");

    /** Every member of {@code @RecurrentPass}, in declaration order. */
    public static final List<Parameter<?>> BLOCK_PARAMETERS = List.of(LOOP_START, LOOP_END, DEPTH);

    private final ParameterValues values;
    private final Block block;

    private TransformerSpec(ParameterValues values, Block block) {
        this.values = values;
        this.block = block;
    }

    /**
     * A recurrent block: layers {@code loopStart..loopEnd} (inclusive) run {@code depth} times.
     *
     * @param loopStart first layer
     * @param loopEnd last layer
     * @param depth total passes
     */
    public record Block(int loopStart, int loopEnd, int depth) {
        /** @return the block as annotation source */
        public String describe() {
            return "@RecurrentPass(loopStart = " + loopStart + ", loopEnd = " + loopEnd + ", depth = " + depth + ")";
        }
    }

    /**
     * @param layers decoder layers
     * @param width model width
     * @param heads query heads
     * @param ffnHidden feed-forward width
     * @param vocab vocabulary
     * @param maxSeq KV-cache capacity
     * @return a builder with the annotation's defaults for the other members
     */
    public static Builder builder(int layers, int width, int heads, int ffnHidden, int vocab, int maxSeq) {
        return new Builder().set(LAYERS, layers).set(WIDTH, width).set(HEADS, heads).set(FFN_HIDDEN, ffnHidden).set(VOCAB, vocab).set(MAX_SEQ, maxSeq);
    }

    /** @return a builder with every required member unset (a reader fills them from the table) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param p one of {@link #PARAMETERS}
     * @param <T> its type
     * @return its value ({@code kvHeads} resolved)
     */
    public <T> T get(Parameter<T> p) {
        return values.get(p);
    }

    /** @return decoder layers */
    public int layers() {
        return get(LAYERS);
    }

    /** @return model width d */
    public int width() {
        return get(WIDTH);
    }

    /** @return query heads */
    public int heads() {
        return get(HEADS);
    }

    /** @return key/value heads */
    public int kvHeads() {
        return get(KV_HEADS);
    }

    /** @return the feed-forward hidden width */
    public int ffnHidden() {
        return get(FFN_HIDDEN);
    }

    /** @return the vocabulary */
    public int vocab() {
        return get(VOCAB);
    }

    /** @return the KV-cache capacity */
    public int maxSeq() {
        return get(MAX_SEQ);
    }

    /** @return the RoPE base */
    public double ropeTheta() {
        return get(ROPE_THETA);
    }

    /** @return the RMS norm epsilon */
    public double normEps() {
        return get(NORM_EPS);
    }

    /** @return whether the classifier is the embedding */
    public boolean tiedClassifier() {
        return get(TIED_CLASSIFIER);
    }

    /** @return the RoPE pairing */
    public RopeLayout rope() {
        return get(ROPE);
    }

    /** @return Llama 3's RoPE scaling factor (1: unscaled) */
    public double ropeScaling() {
        return get(ROPE_SCALING);
    }

    /** @return whether the q, k and v projections add biases (Qwen2) */
    public boolean qkvBias() {
        return get(QKV_BIAS);
    }

    /** @return whether each query and key head is RMS-normalised before RoPE (Qwen3) */
    public boolean qkNorm() {
        return get(QK_NORM);
    }

    /**
     * Whether a member says something about this model: the RoPE scaling members only when it is
     * scaled, {@code qkvBias} and {@code qkNorm} only when set. Descriptions, JSON and generated
     * descriptors leave out the others (their defaults).
     *
     * @param p one of {@link #PARAMETERS}
     * @return whether it applies
     */
    public boolean applies(Parameter<?> p) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerSpec.applies: the parameter", p);
        if (p == QKV_BIAS || p == QK_NORM) {
            return get(p) instanceof Boolean b && b;
        }
        if (p == HEAD_DIM) {
            return get(HEAD_DIM) != 0;
        }
        return !ROPE_SCALING_PARAMETERS.contains(p) || ropeScaling() != 1.0;
    }

    /** @return the recurrent block, or null */
    public Block block() {
        return block;
    }

    /**
     * The layers one token's forward runs, in order: every layer, the block's layers once per pass.
     *
     * @return the layer of each step
     */
    public int[] forwardLayers() {
        return forward(false);
    }

    /**
     * @return the pass (1-based) of each step of {@link #forwardLayers()}, as hooks report it
     */
    public int[] forwardPasses() {
        return forward(true);
    }

    private int[] forward(boolean passes) {
        int layers = layers();
        int depth = block == null ? 1 : block.depth();
        int blockLayers = block == null ? 0 : block.loopEnd() - block.loopStart() + 1;
        int[] out = new int[layers + (depth - 1) * blockLayers];
        int step = 0;
        for (int l = 0; l < layers; l++) {
            if (block != null && l == block.loopStart()) {
                for (int pass = 1; pass <= depth; pass++) {
                    for (int b = block.loopStart(); b <= block.loopEnd(); b++) {
                        out[step++] = passes ? pass : b;
                    }
                }
                l = block.loopEnd();
            } else {
                out[step++] = passes ? 1 : l;
            }
        }
        return out;
    }

    /** @return query/key/value width of one attention head: {@code headDim}, or width / heads when it is 0 */
    public int headWidth() {
        return get(HEAD_DIM) != 0 ? get(HEAD_DIM) : width() / heads();
    }

    /** @return the width of a position's queries and of the attention output: heads * headWidth (width unless {@code headDim} says otherwise) */
    public int queryWidth() {
        return heads() * headWidth();
    }

    /** @return key/value width per position: kvHeads * headWidth */
    public int kvWidth() {
        return kvHeads() * headWidth();
    }

    /** @return query heads per key/value head */
    public int groupSize() {
        return heads() / kvHeads();
    }

    /** @return this spec without a recurrent block */
    public TransformerSpec withoutBlock() {
        return block == null ? this : new TransformerSpec(values, null);
    }

    /**
     * @param b a block (null: none)
     * @return this spec with that block
     */
    public TransformerSpec withBlock(Block b) {
        return new TransformerSpec(values, b);
    }

    /**
     * @param r a RoPE layout
     * @return this spec with it
     */
    public TransformerSpec withRope(RopeLayout r) {
        return with(ROPE, r);
    }

    /**
     * @param p one of {@link #PARAMETERS}
     * @param value its new value (not checked: the caller keeps the spec valid)
     * @param <T> its type
     * @return this spec with that value
     */
    public <T> TransformerSpec with(Parameter<T> p, T value) {
        if (!PARAMETERS.contains(dev.unroll.runtime.internal.Checks.notNull("TransformerSpec.with: the parameter", p))) {
            throw new UnrollException(p.name() + " is not a @Transformer member");
        }
        Map<String, Object> m = new LinkedHashMap<>(values.asMap());
        m.put(p.name(), p.cast(dev.unroll.runtime.internal.Checks.notNull("@Transformer member " + p.name(), value)));
        return new TransformerSpec(ParameterValues.of(canonical(m)), block);
    }

    /**
     * One form for one model, since the registry finds kernels by equality: an unscaled model's scaling
     * members are their defaults, whatever was written (they compute nothing), and a {@code headDim} of
     * width / heads is 0.
     */
    private static Map<String, Object> canonical(Map<String, Object> m) {
        if (m.get(ROPE_SCALING.name()) instanceof Double scaling && scaling == 1.0) {
            for (Parameter<?> p : ROPE_SCALING_PARAMETERS) {
                m.put(p.name(), p.defaultValue());
            }
        }
        // a head width written out as width / heads is the default's
        if (m.get(HEADS.name()) instanceof Integer heads && m.get(WIDTH.name()) instanceof Integer width && m.get(HEAD_DIM.name()) instanceof Integer hd
                && heads > 0 && (long) hd * heads == width) {
            m.put(HEAD_DIM.name(), 0);
        }
        return m;
    }

    /** @return parameter count */
    public long parameters() {
        long d = width();
        long perLayer = 2 * d + d * (long) queryWidth() * 2 + 2 * d * kvWidth() + 3 * d * ffnHidden() + (qkvBias() ? queryWidth() + 2L * kvWidth() : 0)
                + (qkNorm() ? 2L * headWidth() : 0);
        return vocab() * d * (tiedClassifier() ? 1 : 2) + layers() * perLayer + d;
    }

    /** @return a one-line description, as annotation source */
    public String describe() {
        StringBuilder sb = new StringBuilder("@Transformer(");
        String sep = "";
        for (Parameter<?> p : PARAMETERS) {
            if (applies(p)) {
                sb.append(sep).append(p.name()).append(" = ").append(p.toSource(get(p)));
                sep = ", ";
            }
        }
        sb.append(')');
        return block == null ? sb.toString() : sb + " " + block.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerSpec other && other.values.equals(values) && Objects.equals(other.block, block);
    }

    @Override
    public int hashCode() {
        return 31 * values.hashCode() + Objects.hashCode(block);
    }

    /** @return the descriptor JSON (annotation member names; the block's members when there is one) */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Parameter<?> p : PARAMETERS) {
            if (applies(p)) {
                m.put(p.name(), p.toJson(get(p)));
            }
        }
        if (block != null) {
            m.put(LOOP_START.name(), block.loopStart());
            m.put(LOOP_END.name(), block.loopEnd());
            m.put(DEPTH.name(), block.depth());
        }
        return m;
    }

    /**
     * @param m descriptor JSON: every required member; the block's members together (depth optional)
     * @return the spec, validated
     */
    public static TransformerSpec fromJson(Map<String, Object> m) {
        List<String> known = new ArrayList<>();
        PARAMETERS.forEach(p -> known.add(p.name()));
        BLOCK_PARAMETERS.forEach(p -> known.add(p.name()));
        Json.onlyKnown(m, known, "transformer descriptor");
        Builder b = builder();
        for (Parameter<?> p : PARAMETERS) {
            if (p.required() || m.containsKey(p.name())) {
                b.setRaw(p, p.fromJson(p.required() ? Json.required(m, p.name()) : m.get(p.name())));
            }
        }
        if (m.containsKey(LOOP_START.name()) || m.containsKey(LOOP_END.name()) || m.containsKey(DEPTH.name())) {
            b.block(LOOP_START.fromJson(Json.required(m, LOOP_START.name())), LOOP_END.fromJson(Json.required(m, LOOP_END.name())),
                    m.containsKey(DEPTH.name()) ? DEPTH.fromJson(m.get(DEPTH.name())) : DEPTH.defaultValue());
        }
        return b.build();
    }

    /** Builder, member by member; the recurrent block is set with {@link #block}. */
    public static final class Builder {
        private final TableBuilder values = new TableBuilder("@Transformer", PARAMETERS);
        private Block block;

        private Builder() {}

        /**
         * @param p one of {@link #PARAMETERS}
         * @param value its value
         * @param <T> its type
         * @return this
         */
        public <T> Builder set(Parameter<T> p, T value) {
            return setRaw(p, value);
        }

        /**
         * @param p one of {@link #PARAMETERS}
         * @param value a value of its type (cast)
         * @return this
         */
        public Builder setRaw(Parameter<?> p, Object value) {
            values.set(p, value);
            return this;
        }

        /**
         * @param p one of {@link #PARAMETERS}
         * @param <T> its type
         * @return its value so far (null for a required member not yet set)
         */
        public <T> T get(Parameter<T> p) {
            return values.get(p);
        }

        /**
         * @param start loopStart
         * @param end loopEnd
         * @param d depth
         * @return this
         */
        public Builder block(int start, int end, int d) {
            block = new Block(start, end, d);
            return this;
        }

        /** @return the block so far, or null */
        public Block block() {
            return block;
        }

        /**
         * @param explicit explicit members
         * @return findings in rule order
         */
        public List<Violation> check(Set<String> explicit) {
            dev.unroll.runtime.internal.Checks.noNulls("TransformerSpec.Builder.check: the explicit members", explicit);
            values.requireAll();
            return TransformerRules.check(this, explicit);
        }

        /** @return the spec, validated */
        public TransformerSpec build() {
            InvalidDescriptorException.throwIfErrors(check(Set.of()));
            return buildUnchecked();
        }

        /** @return the spec, unchecked ({@code kvHeads} 0 resolved to {@code heads}; the members that compute nothing in their one form) */
        public TransformerSpec buildUnchecked() {
            Map<String, Object> v = values.values();
            if (get(KV_HEADS) == 0) {
                v.put(KV_HEADS.name(), get(HEADS));
            }
            return new TransformerSpec(ParameterValues.of(canonical(v)), block);
        }
    }
}

package dev.unroll.runtime.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import dev.unroll.runtime.spec.Range;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A linear-attention descriptor at run time: the same members as
 * {@link dev.unroll.annotations.LinearAttention}, with defaults resolved ({@code keyWidth},
 * {@code valueWidth}) and only the parameters the mode uses kept (see
 * {@link ModeDefinition#canonical}), so that two specs describing the same model are
 * {@link #equals equal}. What each mode means lives in its {@link ModeDefinition}.
 *
 * <p>Build with {@link #builder(AttentionMode, int)}; the rules are {@link AttentionRules}.
 * Immutable and thread-safe.
 *
 * @param mode the recurrence
 * @param width model width D
 * @param heads head count H
 * @param keyWidth key width per head K
 * @param valueWidth value width per head V
 * @param seed xorshift64 seed of the weights
 * @param precision arithmetic of a generated kernel
 * @param parameters the mode's own parameters, canonical
 */
public record AttentionSpec(
        AttentionMode mode,
        int width,
        int heads,
        int keyWidth,
        int valueWidth,
        long seed,
        Precision precision,
        ParameterValues parameters) {

    /** The recurrence. */
    public static final Parameter<AttentionMode> MODE = Parameter.choice("mode", AttentionMode.class, null, "mode", "the recurrence");
    /** Model width. */
    public static final Parameter<Integer> WIDTH = Parameter.integer("width", null, Range.positive(), "d_model", "model width d");
    /** Heads. */
    public static final Parameter<Integer> HEADS = Parameter.integer("heads", 4, Range.positive(), "n_heads", "heads");
    /** Key width per head; 0 means width / heads. */
    public static final Parameter<Integer> KEY_WIDTH = Parameter.integer("keyWidth", 0, Range.any(), "d_key", "key width per head K; 0 means width / heads");
    /** Value width per head; 0 means width / heads. */
    public static final Parameter<Integer> VALUE_WIDTH = Parameter.integer("valueWidth", 0, Range.any(), "d_value",
            "value width per head V; 0 means width / heads");
    /** Seed of the seeded weights. */
    public static final Parameter<Long> SEED = Parameter.longInteger("seed", 42, Range.seed(), "seed", "xorshift64 seed of the seeded weights");
    /** Arithmetic of a generated kernel. */
    public static final Parameter<Precision> PRECISION = Parameter.choice("precision", Precision.class, Precision.F32, null,
            "arithmetic of the generated kernels: F32 or F64");

    /**
     * The members of {@code @LinearAttention} every mode has (but {@code weights}), in declaration order; each
     * mode's own members are its definition's {@code parameters()}.
     */
    public static final List<Parameter<?>> PARAMETERS = List.of(MODE, WIDTH, HEADS, KEY_WIDTH, VALUE_WIDTH, SEED, PRECISION);

    /** Default heads (the annotation's). */
    public static final int DEFAULT_HEADS = HEADS.defaultValue();
    /** Default seed (the annotation's). */
    public static final long DEFAULT_SEED = SEED.defaultValue();

    /**
     * @param mode the recurrence
     * @param width model width
     * @return a builder with the reference defaults
     */
    public static Builder builder(AttentionMode mode, int width) {
        return new Builder(mode, width);
    }

    /** @return a builder holding this spec's values */
    public Builder toBuilder() {
        Builder b = new Builder(mode, width);
        b.heads = heads;
        b.keyWidth = keyWidth;
        b.valueWidth = valueWidth;
        b.seed = seed;
        b.precision = precision;
        b.values.putAll(parameters.asMap());
        return b;
    }

    /**
     * @param p a parameter of this spec's mode
     * @param <T> its type
     * @return its value (the default for a parameter the mode does not use)
     */
    public <T> T get(Parameter<T> p) {
        Checks.notNull("AttentionSpec.get: the parameter", p);
        return parameters.get(p);
    }

    /**
     * @param p the precision
     * @return this spec at another precision
     */
    public AttentionSpec withPrecision(Precision p) {
        return new AttentionSpec(mode, width, heads, keyWidth, valueWidth, seed, p, parameters);
    }

    /** @return whether the mode stores a vector (Hawk) instead of K x V matrices */
    public boolean vectorState() {
        return Modes.of(mode).vectorState();
    }

    /** @return whether the output passes through tanh after W_out in {@code step} */
    public boolean tanhOutput() {
        return Modes.of(mode).tanhOutput();
    }

    /** @return state values per head */
    public int stateSizePerHead() {
        return Limits.arrayLength("state of one head of " + describe(), Modes.of(mode).stateSizePerHead(this));
    }

    /** @return state values of the whole layer */
    public int stateSize() {
        return Limits.arrayLength("state of " + describe(), heads, Modes.of(mode).stateSizePerHead(this));
    }

    /** @return H * V, the width of the concatenated head outputs */
    public int concatWidth() {
        return heads * valueWidth;
    }

    /** @return a one-line description, used in generated javadoc and reports */
    public String describe() {
        StringBuilder sb = new StringBuilder("@LinearAttention(mode = ").append(mode)
                .append(", width = ").append(width)
                .append(", heads = ").append(heads)
                .append(", keyWidth = ").append(keyWidth)
                .append(", valueWidth = ").append(valueWidth)
                .append(", seed = ").append(seed)
                .append(", precision = ").append(precision);
        for (Map.Entry<String, Object> e : parameters.asMap().entrySet()) {
            sb.append(", ").append(e.getKey()).append(" = ").append(e.getValue());
        }
        return sb.append(')').toString();
    }

    /** @return this spec as a JSON-ready map (Unroll's descriptor format) */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name());
        m.put("width", width);
        m.put("heads", heads);
        m.put("keyWidth", keyWidth);
        m.put("valueWidth", valueWidth);
        m.put("seed", seed);
        m.put("precision", precision.name());
        for (Map.Entry<String, Object> e : parameters.asMap().entrySet()) {
            m.put(e.getKey(), Modes.parameter(e.getKey()).toJson(e.getValue()));
        }
        return m;
    }

    /**
     * Reads Unroll's descriptor format (the inverse of {@link #toJson()}); absent members take
     * their defaults.
     *
     * @param m the descriptor object
     * @return the spec
     */
    public static AttentionSpec fromJson(Map<String, Object> m) {
        java.util.List<String> known = new java.util.ArrayList<>(List.of("mode", "width", "heads", "keyWidth", "valueWidth", "seed", "precision"));
        Modes.allParameters().forEach(p -> known.add(p.name()));
        Json.onlyKnown(m, known, "attention descriptor");
        AttentionMode mode = Json.asEnum(Json.required(m, "mode"), AttentionMode.class, "mode");
        Builder b = builder(mode, Json.asInt(Json.required(m, "width"), "width"));
        if (m.containsKey("heads")) {
            b.heads(Json.asInt(m.get("heads"), "heads"));
        }
        if (m.containsKey("keyWidth")) {
            b.keyWidth(Json.asInt(m.get("keyWidth"), "keyWidth"));
        }
        if (m.containsKey("valueWidth")) {
            b.valueWidth(Json.asInt(m.get("valueWidth"), "valueWidth"));
        }
        if (m.containsKey("seed")) {
            b.seed(Json.asLong(m.get("seed"), "seed"));
        }
        if (m.containsKey("precision")) {
            b.precision(Json.asEnum(m.get("precision"), Precision.class, "precision"));
        }
        for (Parameter<?> p : Modes.allParameters()) {
            if (m.containsKey(p.name())) {
                b.parameter(p.name(), m.get(p.name()));
            }
        }
        return b.build();
    }

    /**
     * Reads the reference implementation's {@code AttentionConfig} as its golden files print it
     * ({@code {"d_model":16,"n_heads":4,...,"mode":{"name":"RetNet","gamma":0.95}}}).
     *
     * @param config the config object
     * @return the spec, at f64 (the reference's precision)
     */
    public static AttentionSpec fromReferenceConfig(Map<String, Object> config) {
        Map<String, Object> modeObj = Json.asObject(Json.required(config, "mode"), "mode");
        ModeDefinition def = Modes.byReferenceName(Json.asString(Json.required(modeObj, "name"), "mode.name"));
        AttentionMode mode = def.mode();
        Builder b = builder(mode, Json.asInt(Json.required(config, "d_model"), "d_model"))
                .heads(Json.asInt(Json.required(config, "n_heads"), "n_heads"))
                .keyWidth(Json.asInt(Json.required(config, "d_key"), "d_key"))
                .valueWidth(Json.asInt(Json.required(config, "d_value"), "d_value"))
                .seed(Json.asLong(Json.required(config, "seed"), "seed"))
                .precision(Precision.F64);
        Map<String, Object> values = new LinkedHashMap<>();
        def.readReference(modeObj, values);
        values.forEach(b::parameter);
        return b.build();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Builder with the reference defaults; {@link #build()} canonicalises the mode's parameters. */
    public static final class Builder {
        final AttentionMode mode;
        final int width;
        int heads = DEFAULT_HEADS;
        int keyWidth;
        int valueWidth;
        long seed = DEFAULT_SEED;
        Precision precision = Precision.F32;
        /** Mode parameters as written, of any mode (a foreign one is a finding, not an exception). */
        final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(AttentionMode mode, int width) {
            this.mode = mode;
            this.width = width;
        }

        /**
         * @param v heads
         * @return this
         */
        public Builder heads(int v) {
            heads = v;
            return this;
        }

        /**
         * @param v key width per head (0: width / heads)
         * @return this
         */
        public Builder keyWidth(int v) {
            keyWidth = v;
            return this;
        }

        /**
         * @param v value width per head (0: width / heads)
         * @return this
         */
        public Builder valueWidth(int v) {
            valueWidth = v;
            return this;
        }

        /**
         * @param v seed
         * @return this
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @return the precision set so far */
        public Precision precision() {
            return precision;
        }

        /**
         * @param v precision
         * @return this
         */
        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        /**
         * Sets a mode parameter.
         *
         * @param p the parameter
         * @param value its value
         * @param <T> its type
         * @return this
         */
        public <T> Builder set(Parameter<T> p, T value) {
            values.put(Checks.notNull("AttentionSpec.Builder.set: the parameter", p).name(), p.cast(value));
            return this;
        }

        /**
         * Sets a mode parameter by name (the {@code @LinearAttention} member), from a value of its
         * type or its JSON form.
         *
         * @param name e.g. {@code gamma}
         * @param value e.g. {@code 0.9}
         * @return this
         * @throws UnrollException for an unknown name or a value of the wrong type
         */
        public Builder parameter(String name, Object value) {
            Parameter<?> p = Modes.parameter(Checks.notNull("AttentionSpec.Builder.parameter: name", name));
            if (p == null) {
                throw new UnrollException("no attention mode has a parameter named \"" + name + "\" (they are " + Modes.allParameters().stream()
                        .map(Parameter::name).toList() + ")");
            }
            values.put(name, p.cast(value));
            return this;
        }

        /** @return the values of the builder's mode (defaults where absent) */
        ParameterValues modeValues() {
            return ParameterValues.of(values);
        }

        /**
         * Validates (see {@link AttentionRules}), resolves defaults and keeps the parameters the
         * mode uses.
         *
         * @return the spec
         * @throws dev.unroll.runtime.spec.InvalidDescriptorException when a rule is broken
         */
        public AttentionSpec build() {
            Set<String> explicit = new java.util.HashSet<>(values.keySet());
            dev.unroll.runtime.spec.InvalidDescriptorException.throwIfErrors(AttentionRules.check(this, explicit));
            return buildUnchecked();
        }

        /**
         * Findings for these values.
         *
         * @param explicit the members the user set (the rest hold defaults)
         * @return errors and warnings in rule order
         */
        public java.util.List<dev.unroll.runtime.spec.Violation> check(Set<String> explicit) {
            Checks.noNulls("AttentionSpec.Builder.check: the explicit members", explicit);
            return AttentionRules.check(this, explicit);
        }

        /**
         * Like {@link #build()} without the checks: for values already validated.
         *
         * @return the spec
         */
        public AttentionSpec buildUnchecked() {
            int perHead = heads > 0 ? width / heads : 0;
            int k = keyWidth == 0 ? perHead : keyWidth;
            int v = valueWidth == 0 ? perHead : valueWidth;
            return new AttentionSpec(mode, width, heads, k, v, seed, precision,
                    ParameterValues.of(Modes.of(mode).canonical(modeValues())));
        }
    }

}

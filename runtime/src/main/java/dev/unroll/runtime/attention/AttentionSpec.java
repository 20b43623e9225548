package dev.unroll.runtime.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A linear-attention descriptor at run time: the same members as
 * {@link dev.unroll.annotations.LinearAttention}, with defaults resolved ({@code keyWidth},
 * {@code valueWidth}, {@code lambdaInit}) and parameters the mode does not use reset to their
 * defaults, so that two specs describing the same model are {@link #equals equal}.
 *
 * <p>Build with {@link #builder(AttentionMode, int)}; check with {@link AttentionRules}.
 *
 * @param mode the recurrence
 * @param width model width D
 * @param heads head count H
 * @param keyWidth key width per head K
 * @param valueWidth value width per head V
 * @param seed xorshift64 seed of the weights
 * @param precision arithmetic of a generated kernel
 * @param gamma RetNet decay
 * @param betaScale Gated DeltaNet static beta
 * @param betaMode Gated DeltaNet beta mode
 * @param initialDecay RWKV base decay
 * @param compositions DeltaProduct Householder steps
 * @param reflections DeltaProduct beta range (0, 2)
 * @param lowerBound HGRN2 forget-gate lower bound
 * @param inner LogLinear's wrapped mode
 * @param maxLevels LogLinear levels
 * @param lambdaInit LogLinear level-logit bias
 */
public record AttentionSpec(
        AttentionMode mode,
        int width,
        int heads,
        int keyWidth,
        int valueWidth,
        long seed,
        Precision precision,
        double gamma,
        double betaScale,
        BetaMode betaMode,
        double initialDecay,
        int compositions,
        boolean reflections,
        double lowerBound,
        AttentionMode inner,
        int maxLevels,
        double lambdaInit) {

    /** Defaults of the reference implementation (irithyll 10.x), also the annotation's. */
    public static final double DEFAULT_GAMMA = 0.95;
    /** Default static beta. */
    public static final double DEFAULT_BETA_SCALE = 1.0;
    /** Default RWKV base decay. */
    public static final double DEFAULT_INITIAL_DECAY = 0.5;
    /** Default DeltaProduct compositions. */
    public static final int DEFAULT_COMPOSITIONS = 2;
    /** Default HGRN2 lower bound. */
    public static final double DEFAULT_LOWER_BOUND = 0.9;
    /** Default LogLinear levels. */
    public static final int DEFAULT_MAX_LEVELS = 32;
    /** Default heads. */
    public static final int DEFAULT_HEADS = 4;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;

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
        b.gamma = gamma;
        b.betaScale = betaScale;
        b.betaMode = betaMode;
        b.initialDecay = initialDecay;
        b.compositions = compositions;
        b.reflections = reflections;
        b.lowerBound = lowerBound;
        b.inner = inner;
        b.maxLevels = maxLevels;
        b.lambdaInit = lambdaInit;
        return b;
    }

    /**
     * @param p the precision
     * @return this spec at another precision
     */
    public AttentionSpec withPrecision(Precision p) {
        return toBuilder().precision(p).build();
    }

    /** @return whether the mode stores a vector (Hawk) instead of K x V matrices */
    public boolean vectorState() {
        return mode == AttentionMode.HAWK;
    }

    /** @return whether the output passes through tanh after W_out in {@code step} */
    public boolean tanhOutput() {
        return switch (mode) {
            case DELTA_NET, GATED_DELTA_NET, DELTA_PRODUCT, RWKV7, HGRN2, LOG_LINEAR -> true;
            default -> false;
        };
    }

    /** @return whether LogLinear's leaf keys are L2-normalised (its inner mode is delta-family) */
    public boolean normalisedLeafKeys() {
        return mode == AttentionMode.LOG_LINEAR && switch (inner) {
            case DELTA_NET, GATED_DELTA_NET, DELTA_PRODUCT, RWKV7 -> true;
            default -> false;
        };
    }

    /** @return state values per head: V (Hawk), L*K*V (LogLinear) or K*V */
    public int stateSizePerHead() {
        if (vectorState()) {
            return valueWidth;
        }
        int kv = keyWidth * valueWidth;
        return mode == AttentionMode.LOG_LINEAR ? maxLevels * kv : kv;
    }

    /** @return state values of the whole layer */
    public int stateSize() {
        return heads * stateSizePerHead();
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
        for (Map.Entry<String, Object> e : modeParameters().entrySet()) {
            sb.append(", ").append(e.getKey()).append(" = ").append(e.getValue());
        }
        return sb.append(')').toString();
    }

    /** @return the mode's own parameters by member name, in declaration order */
    public Map<String, Object> modeParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (mode) {
            case RETNET -> m.put("gamma", gamma);
            case GATED_DELTA_NET -> {
                m.put("betaMode", betaMode);
                if (betaMode == BetaMode.STATIC) {
                    m.put("betaScale", betaScale);
                }
            }
            case RWKV -> m.put("initialDecay", initialDecay);
            case DELTA_PRODUCT -> {
                m.put("compositions", compositions);
                m.put("reflections", reflections);
            }
            case HGRN2 -> m.put("lowerBound", lowerBound);
            case LOG_LINEAR -> {
                m.put("inner", inner);
                m.put("maxLevels", maxLevels);
                m.put("lambdaInit", lambdaInit);
            }
            default -> {
            }
        }
        return m;
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
        for (Map.Entry<String, Object> e : modeParameters().entrySet()) {
            Object v = e.getValue();
            m.put(e.getKey(), v instanceof Enum<?> en ? en.name() : v);
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
        AttentionMode mode = AttentionMode.valueOf(Json.asString(Json.required(m, "mode"), "mode"));
        Builder b = builder(mode, (int) Json.asLong(Json.required(m, "width"), "width"));
        if (m.containsKey("heads")) {
            b.heads((int) Json.asLong(m.get("heads"), "heads"));
        }
        if (m.containsKey("keyWidth")) {
            b.keyWidth((int) Json.asLong(m.get("keyWidth"), "keyWidth"));
        }
        if (m.containsKey("valueWidth")) {
            b.valueWidth((int) Json.asLong(m.get("valueWidth"), "valueWidth"));
        }
        if (m.containsKey("seed")) {
            b.seed(Json.asLong(m.get("seed"), "seed"));
        }
        if (m.containsKey("precision")) {
            b.precision(Precision.valueOf(Json.asString(m.get("precision"), "precision")));
        }
        if (m.containsKey("gamma")) {
            b.gamma(Json.asDouble(m.get("gamma"), "gamma"));
        }
        if (m.containsKey("betaScale")) {
            b.betaScale(Json.asDouble(m.get("betaScale"), "betaScale"));
        }
        if (m.containsKey("betaMode")) {
            b.betaMode(BetaMode.valueOf(Json.asString(m.get("betaMode"), "betaMode")));
        }
        if (m.containsKey("initialDecay")) {
            b.initialDecay(Json.asDouble(m.get("initialDecay"), "initialDecay"));
        }
        if (m.containsKey("compositions")) {
            b.compositions((int) Json.asLong(m.get("compositions"), "compositions"));
        }
        if (m.containsKey("reflections")) {
            b.reflections(Boolean.TRUE.equals(m.get("reflections")));
        }
        if (m.containsKey("lowerBound")) {
            b.lowerBound(Json.asDouble(m.get("lowerBound"), "lowerBound"));
        }
        if (m.containsKey("inner")) {
            b.inner(AttentionMode.valueOf(Json.asString(m.get("inner"), "inner")));
        }
        if (m.containsKey("maxLevels")) {
            b.maxLevels((int) Json.asLong(m.get("maxLevels"), "maxLevels"));
        }
        if (m.containsKey("lambdaInit")) {
            b.lambdaInit(Json.asDouble(m.get("lambdaInit"), "lambdaInit"));
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
        AttentionMode mode = referenceMode(Json.asString(Json.required(modeObj, "name"), "mode.name"));
        Builder b = builder(mode, (int) Json.asLong(Json.required(config, "d_model"), "d_model"))
                .heads((int) Json.asLong(Json.required(config, "n_heads"), "n_heads"))
                .keyWidth((int) Json.asLong(Json.required(config, "d_key"), "d_key"))
                .valueWidth((int) Json.asLong(Json.required(config, "d_value"), "d_value"))
                .seed(Json.asLong(Json.required(config, "seed"), "seed"))
                .precision(Precision.F64);
        referenceParameters(b, mode, modeObj);
        return b.build();
    }

    private static void referenceParameters(Builder b, AttentionMode mode, Map<String, Object> modeObj) {
        switch (mode) {
            case RETNET -> b.gamma(Json.asDouble(Json.required(modeObj, "gamma"), "gamma"));
            case GATED_DELTA_NET -> {
                b.betaScale(Json.asDouble(Json.required(modeObj, "beta_scale"), "beta_scale"));
                String gm = Json.asString(Json.required(modeObj, "gate_mode_delta"), "gate_mode_delta");
                b.betaMode(gm.equals("PerToken") ? BetaMode.PER_TOKEN : BetaMode.STATIC);
            }
            case RWKV -> b.initialDecay(Json.asDouble(Json.required(modeObj, "initial_decay"), "initial_decay"));
            case DELTA_PRODUCT -> {
                b.compositions((int) Json.asLong(Json.required(modeObj, "n_compositions"), "n_compositions"));
                b.reflections(Boolean.TRUE.equals(modeObj.get("reflections")));
            }
            case HGRN2 -> b.lowerBound(Json.asDouble(Json.required(modeObj, "lower_bound"), "lower_bound"));
            case LOG_LINEAR -> {
                Map<String, Object> innerObj = Json.asObject(Json.required(modeObj, "inner"), "inner");
                b.inner(referenceMode(Json.asString(Json.required(innerObj, "name"), "inner.name")));
                b.maxLevels((int) Json.asLong(Json.required(modeObj, "max_levels"), "max_levels"));
                b.lambdaInit(Json.asDouble(Json.required(modeObj, "lambda_init"), "lambda_init"));
            }
            default -> {
            }
        }
    }

    /**
     * @param name a reference mode name such as {@code GatedDeltaNet}
     * @return the mode
     */
    public static AttentionMode referenceMode(String name) {
        return switch (name) {
            case "RetNet" -> AttentionMode.RETNET;
            case "Hawk" -> AttentionMode.HAWK;
            case "GLA" -> AttentionMode.GLA;
            case "GLAVector" -> AttentionMode.GLA_VECTOR;
            case "DeltaNet" -> AttentionMode.DELTA_NET;
            case "GatedDeltaNet" -> AttentionMode.GATED_DELTA_NET;
            case "RWKV" -> AttentionMode.RWKV;
            case "MLSTM" -> AttentionMode.MLSTM;
            case "DeltaProduct" -> AttentionMode.DELTA_PRODUCT;
            case "RWKV7" -> AttentionMode.RWKV7;
            case "HGRN2" -> AttentionMode.HGRN2;
            case "LogLinear" -> AttentionMode.LOG_LINEAR;
            default -> throw new IllegalArgumentException("unknown reference mode \"" + name + "\"");
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Builder with the reference defaults; {@link #build()} canonicalises unused parameters. */
    public static final class Builder {
        final AttentionMode mode;
        final int width;
        int heads = DEFAULT_HEADS;
        int keyWidth;
        int valueWidth;
        long seed = DEFAULT_SEED;
        Precision precision = Precision.F32;
        double gamma = DEFAULT_GAMMA;
        double betaScale = DEFAULT_BETA_SCALE;
        BetaMode betaMode = BetaMode.STATIC;
        double initialDecay = DEFAULT_INITIAL_DECAY;
        int compositions = DEFAULT_COMPOSITIONS;
        boolean reflections;
        double lowerBound = DEFAULT_LOWER_BOUND;
        AttentionMode inner = AttentionMode.GATED_DELTA_NET;
        int maxLevels = DEFAULT_MAX_LEVELS;
        double lambdaInit = Double.NaN;

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

        /**
         * @param v precision
         * @return this
         */
        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        /**
         * @param v RetNet gamma
         * @return this
         */
        public Builder gamma(double v) {
            gamma = v;
            return this;
        }

        /**
         * @param v static beta
         * @return this
         */
        public Builder betaScale(double v) {
            betaScale = v;
            return this;
        }

        /**
         * @param v beta mode
         * @return this
         */
        public Builder betaMode(BetaMode v) {
            betaMode = v;
            return this;
        }

        /**
         * @param v RWKV initial decay
         * @return this
         */
        public Builder initialDecay(double v) {
            initialDecay = v;
            return this;
        }

        /**
         * @param v DeltaProduct compositions
         * @return this
         */
        public Builder compositions(int v) {
            compositions = v;
            return this;
        }

        /**
         * @param v DeltaProduct reflections
         * @return this
         */
        public Builder reflections(boolean v) {
            reflections = v;
            return this;
        }

        /**
         * @param v HGRN2 lower bound
         * @return this
         */
        public Builder lowerBound(double v) {
            lowerBound = v;
            return this;
        }

        /**
         * @param v LogLinear inner mode
         * @return this
         */
        public Builder inner(AttentionMode v) {
            inner = v;
            return this;
        }

        /**
         * @param v LogLinear levels
         * @return this
         */
        public Builder maxLevels(int v) {
            maxLevels = v;
            return this;
        }

        /**
         * @param v LogLinear lambda bias (NaN: 1 / maxLevels)
         * @return this
         */
        public Builder lambdaInit(double v) {
            lambdaInit = v;
            return this;
        }

        /**
         * Validates (see {@link AttentionRules}), resolves defaults and resets parameters the
         * mode does not use.
         *
         * @return the spec
         * @throws dev.unroll.runtime.spec.InvalidDescriptorException when a rule is broken
         */
        public AttentionSpec build() {
            dev.unroll.runtime.spec.InvalidDescriptorException.throwIfErrors(AttentionRules.check(this, java.util.Set.of()));
            return buildUnchecked();
        }

        /**
         * Findings for these values.
         *
         * @param explicit the members the user set (the rest hold defaults)
         * @return errors and warnings in rule order
         */
        public java.util.List<dev.unroll.runtime.spec.Violation> check(java.util.Set<String> explicit) {
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
            boolean gdn = mode == AttentionMode.GATED_DELTA_NET;
            boolean ll = mode == AttentionMode.LOG_LINEAR;
            double lambda = Double.isNaN(lambdaInit) && maxLevels > 0 ? 1.0 / maxLevels : lambdaInit;
            return new AttentionSpec(mode, width, heads, k, v, seed, precision,
                    mode == AttentionMode.RETNET ? gamma : DEFAULT_GAMMA,
                    gdn && betaMode == BetaMode.STATIC ? betaScale : DEFAULT_BETA_SCALE,
                    gdn ? betaMode : BetaMode.STATIC,
                    mode == AttentionMode.RWKV ? initialDecay : DEFAULT_INITIAL_DECAY,
                    mode == AttentionMode.DELTA_PRODUCT ? compositions : DEFAULT_COMPOSITIONS,
                    mode == AttentionMode.DELTA_PRODUCT && reflections,
                    mode == AttentionMode.HGRN2 ? lowerBound : DEFAULT_LOWER_BOUND,
                    ll ? inner : AttentionMode.GATED_DELTA_NET,
                    ll ? maxLevels : DEFAULT_MAX_LEVELS,
                    ll ? lambda : 1.0 / DEFAULT_MAX_LEVELS);
        }
    }

    /**
     * @param mode a mode
     * @return its lower-case, hyphenated name for file names and reports
     */
    public static String slug(AttentionMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

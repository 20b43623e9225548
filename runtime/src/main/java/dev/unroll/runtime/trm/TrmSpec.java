package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.InvalidDescriptorException;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import dev.unroll.runtime.spec.Range;
import dev.unroll.runtime.spec.TableBuilder;
import dev.unroll.runtime.spec.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Tiny Recursive Model descriptor at run time: the members of
 * {@link dev.unroll.annotations.TinyRecursiveModel}, one {@link Parameter} each in {@link #PARAMETERS}
 * (the table the processor's reader, the builder, JSON, {@link #describe()} and the docs loop over),
 * plus the sizes derived from them exactly as the seed {@code model.py} derives them. The attention
 * mixer's members ({@code heads}, {@code ropeTheta}) hold their defaults under the MLP mixer, so that
 * two specs of the same model are equal.
 *
 * <p>Immutable; read a member with {@link #get} or its accessor.
 */
public final class TrmSpec {
    /** H, the network's width. */
    public static final Parameter<Integer> HIDDEN = Parameter.integer("hidden", 512, Range.positive(), "hidden_size", "H, the width of the shared network");
    /** Input tokens per puzzle. */
    public static final Parameter<Integer> CONTEXT = Parameter.integer("context", 81, Range.positive(), "seq_len", "input tokens per puzzle (81 cells)");
    /** Vocabulary. */
    public static final Parameter<Integer> VOCAB = Parameter.integer("vocab", 11, Range.positive(), "vocab_size", "vocabulary (pad, 0-9)");
    /** Layers of the shared network. */
    public static final Parameter<Integer> LAYERS = Parameter.integer("layers", 2, Range.positive(), "L_layers", "layers of the shared network");
    /** n, latent recursion steps per cycle. */
    public static final Parameter<Integer> LATENT_STEPS = Parameter.integer("latentSteps", 6, Range.positive(), "L_cycles",
            "n: latent recursion steps per cycle");
    /** T, cycles per supervision step. */
    public static final Parameter<Integer> CYCLES = Parameter.integer("cycles", 3, Range.positive(), "H_cycles", "T: deep recursion cycles per supervision step");
    /** SwiGLU expansion. */
    public static final Parameter<Double> EXPANSION = Parameter.real("expansion", 4.0, Range.positiveReal(""), "expansion", "SwiGLU expansion factor");
    /** Prefix positions. */
    public static final Parameter<Integer> PREFIX = Parameter.integer("prefix", 1, Range.positive(), "puzzle_emb_len",
            "prefix positions (1: the summary token; 16: the original's puzzle-embedding prefix)");
    /** Token mixer. */
    public static final Parameter<TokenMixer> MIXER = Parameter.choice("mixer", TokenMixer.class, TokenMixer.MLP, null,
            "token mixer: MLP over positions (the Sudoku model) or self-attention");
    /** Attention heads (ATTENTION mixer only). */
    public static final Parameter<Integer> HEADS = Parameter.integer("heads", 8, Range.positive(), "num_heads", "attention heads (ATTENTION mixer only)");
    /** RoPE base (ATTENTION mixer only). */
    public static final Parameter<Double> ROPE_THETA = Parameter.real("ropeTheta", 10000.0, Range.positiveReal(""), "rope_theta",
            "RoPE base (ATTENTION mixer only)");
    /** Q-head outputs. */
    public static final Parameter<Integer> HALT_OUTPUTS = Parameter.integer("haltOutputs", 1,
            Range.oneOf(": 1 halt logit (the seed) or halt and continue (the original)", 1, 2), null, "Q-head outputs: 1 (halt) or 2 (halt, continue)");
    /** ACT steps. */
    public static final Parameter<Integer> MAX_SUPERVISION_STEPS = Parameter.integer("maxSupervisionSteps", 16, Range.positive(), "halt_max_steps",
            "supervision steps ACT runs at most");
    /** RMS norm epsilon. */
    public static final Parameter<Double> NORM_EPS = Parameter.real("normEps", 1e-5, Range.positiveReal(": RMS norm divides by sqrt(mean + eps)"),
            "rms_norm_eps", "RMS norm epsilon");
    /** Seed of seeded initialisation. */
    public static final Parameter<Long> SEED = Parameter.longInteger("seed", 1, Range.seed(), null, "seed of the seeded weights (xorshift64)");

    /** Every member of {@code @TinyRecursiveModel} but {@code weights}, in declaration order. */
    public static final List<Parameter<?>> PARAMETERS = List.of(HIDDEN, CONTEXT, VOCAB, LAYERS, LATENT_STEPS, CYCLES, EXPANSION, PREFIX, MIXER,
            HEADS, ROPE_THETA, HALT_OUTPUTS, MAX_SUPERVISION_STEPS, NORM_EPS, SEED);

    /** Longest sequence (context + prefix) the generated kernels accept. */
    public static final int MAX_SEQUENCE = 4096;

    private final ParameterValues values;

    private TrmSpec(ParameterValues values) {
        this.values = values;
    }

    /** @return the seed model's configuration (Sudoku, MLP mixer, summary token), to change member by member */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param p one of {@link #PARAMETERS}
     * @param <T> its type
     * @return its value
     */
    public <T> T get(Parameter<T> p) {
        return values.get(p);
    }

    /**
     * @param p a parameter
     * @param mixer the token mixer
     * @return whether the parameter matters with that mixer (heads and ropeTheta only with ATTENTION)
     */
    public static boolean applies(Parameter<?> p, TokenMixer mixer) {
        return mixer == TokenMixer.ATTENTION || (p != HEADS && p != ROPE_THETA);
    }

    /** @return H */
    public int hidden() {
        return get(HIDDEN);
    }

    /** @return input tokens per puzzle */
    public int context() {
        return get(CONTEXT);
    }

    /** @return the vocabulary */
    public int vocab() {
        return get(VOCAB);
    }

    /** @return layers of the shared network */
    public int layers() {
        return get(LAYERS);
    }

    /** @return n */
    public int latentSteps() {
        return get(LATENT_STEPS);
    }

    /** @return T */
    public int cycles() {
        return get(CYCLES);
    }

    /** @return the SwiGLU expansion */
    public double expansion() {
        return get(EXPANSION);
    }

    /** @return prefix positions */
    public int prefix() {
        return get(PREFIX);
    }

    /** @return the token mixer */
    public TokenMixer mixer() {
        return get(MIXER);
    }

    /** @return attention heads (ATTENTION only) */
    public int heads() {
        return get(HEADS);
    }

    /** @return the RoPE base (ATTENTION only) */
    public double ropeTheta() {
        return get(ROPE_THETA);
    }

    /** @return Q-head outputs (1 or 2) */
    public int haltOutputs() {
        return get(HALT_OUTPUTS);
    }

    /** @return ACT steps */
    public int maxSupervisionSteps() {
        return get(MAX_SUPERVISION_STEPS);
    }

    /** @return the RMS norm epsilon */
    public double normEps() {
        return get(NORM_EPS);
    }

    /** @return the seed of seeded initialisation */
    public long seed() {
        return get(SEED);
    }

    /** @return positions per puzzle: context + prefix */
    public int sequence() {
        return context() + prefix();
    }

    /**
     * @param expansion the MLP expansion factor
     * @param d the hidden size
     * @return {@code find_multiple(round(expansion * d * 2 / 3), 256)} with Python's round (half to even)
     */
    public static int intermediate(double expansion, int d) {
        return Limits.arrayLength("SwiGLU width for expansion " + expansion + " and width " + d, intermediateExact(expansion, d));
    }

    /**
     * @param expansion the expansion factor (finite, positive)
     * @param d the input width
     * @return {@code find_multiple(round(expansion * d * 2 / 3), 256)}, exactly
     */
    public static long intermediateExact(double expansion, int d) {
        long r = (long) Math.rint(expansion * d * 2 / 3);
        return (r + 255) / 256 * 256;
    }

    /** @return the channel MLP's intermediate width (1536 for H = 512) */
    public int mlpIntermediate() {
        return intermediate(expansion(), hidden());
    }

    /** @return the token mixer's intermediate width (256 for 82 positions; MLP mixer only) */
    public int mixerIntermediate() {
        return intermediate(expansion(), sequence());
    }

    /** @return per-head width (ATTENTION) */
    public int headWidth() {
        return hidden() / heads();
    }

    /**
     * @return forward FLOPs of one network call for one puzzle: a supervision step makes
     *     {@code cycles * (latentSteps + 1)} of them
     */
    public double flopsPerNetworkCall() {
        return flopsPerStep() / cycles() / (latentSteps() + 1);
    }

    /**
     * @return forward FLOPs of one supervision step for one puzzle, counting a multiply-add as 2
     *     (the GEMMs only: 18.96 GFLOP for the seed's dimensions)
     */
    public double flopsPerStep() {
        double l = sequence();
        double h = hidden();
        double mlp = 2 * l * h * 2 * mlpIntermediate() + 2 * l * mlpIntermediate() * h;
        double mix;
        if (mixer() == TokenMixer.MLP) {
            double mi = mixerIntermediate();
            mix = 2 * h * l * 2 * mi + 2 * h * mi * l;
        } else {
            mix = 2 * l * h * 3 * h + 2 * l * h * h + 2 * 2 * l * l * h;
        }
        double calls = cycles() * (latentSteps() + 1.0);
        return calls * layers() * (mlp + mix);
    }

    /** @return a one-line description, as annotation source (every member that applies) */
    public String describe() {
        StringBuilder sb = new StringBuilder("@TinyRecursiveModel(");
        String sep = "";
        for (Parameter<?> p : PARAMETERS) {
            if (applies(p, mixer())) {
                sb.append(sep).append(p.name()).append(" = ").append(p.toSource(get(p)));
                sep = ", ";
            }
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrmSpec other && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** @return the descriptor JSON (annotation member names; every member that applies) */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Parameter<?> p : PARAMETERS) {
            if (applies(p, mixer())) {
                m.put(p.name(), p.toJson(get(p)));
            }
        }
        return m;
    }

    /**
     * @param m descriptor JSON (absent members: defaults)
     * @return the spec, validated
     */
    public static TrmSpec fromJson(Map<String, Object> m) {
        Json.onlyKnown(m, PARAMETERS.stream().map(Parameter::name).toList(), "TRM descriptor");
        Builder b = builder();
        for (Parameter<?> p : PARAMETERS) {
            if (m.containsKey(p.name())) {
                b.setRaw(p, p.fromJson(m.get(p.name())));
            }
        }
        return b.build();
    }

    /** Builder with the seed model's values, member by member. */
    public static final class Builder {
        private final TableBuilder values = new TableBuilder("@TinyRecursiveModel", PARAMETERS);

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
         * @return its value so far
         */
        public <T> T get(Parameter<T> p) {
            return values.get(p);
        }

        /**
         * @param explicit members set explicitly
         * @return findings in rule order
         */
        public List<Violation> check(Set<String> explicit) {
            dev.unroll.runtime.internal.Checks.noNulls("TrmSpec.Builder.check: the explicit members", explicit);
            return TrmRules.check(this, explicit);
        }

        /** @return the spec, validated */
        public TrmSpec build() {
            InvalidDescriptorException.throwIfErrors(check(Set.of()));
            return buildUnchecked();
        }

        /** @return the spec, unchecked (the attention mixer's members reset to their defaults for the MLP mixer) */
        public TrmSpec buildUnchecked() {
            Map<String, Object> v = values.values();
            for (Parameter<?> p : PARAMETERS) {
                if (!applies(p, get(MIXER))) {
                    v.put(p.name(), p.defaultValue());
                }
            }
            return new TrmSpec(ParameterValues.of(v));
        }
    }
}

package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.InvalidDescriptorException;
import dev.unroll.runtime.spec.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Tiny Recursive Model descriptor at run time: the members of
 * {@link dev.unroll.annotations.TinyRecursiveModel} plus the sizes derived from them exactly as the
 * seed {@code model.py} derives them.
 *
 * @param hidden H
 * @param context input tokens (81)
 * @param vocab vocabulary
 * @param layers layers of the shared network
 * @param latentSteps n
 * @param cycles T
 * @param expansion SwiGLU expansion
 * @param prefix prefix positions (1: summary token; 16: the original's puzzle-embedding prefix)
 * @param mixer token mixer
 * @param heads attention heads (ATTENTION only)
 * @param ropeTheta RoPE base (ATTENTION only)
 * @param haltOutputs Q-head outputs (1 or 2)
 * @param maxSupervisionSteps ACT steps
 * @param normEps RMS norm epsilon
 * @param seed seed of seeded initialisation
 */
public record TrmSpec(
        int hidden,
        int context,
        int vocab,
        int layers,
        int latentSteps,
        int cycles,
        double expansion,
        int prefix,
        TokenMixer mixer,
        int heads,
        double ropeTheta,
        int haltOutputs,
        int maxSupervisionSteps,
        double normEps,
        long seed) {

    /** Longest sequence (context + prefix) the generated kernels accept. */
    public static final int MAX_SEQUENCE = 4096;

    /** @return the seed model's configuration (Sudoku, MLP mixer, summary token) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return positions per puzzle: context + prefix */
    public int sequence() {
        return context + prefix;
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
        return intermediate(expansion, hidden);
    }

    /** @return the token mixer's intermediate width (256 for 82 positions; MLP mixer only) */
    public int mixerIntermediate() {
        return intermediate(expansion, sequence());
    }

    /** @return per-head width (ATTENTION) */
    public int headWidth() {
        return hidden / heads;
    }

    /**
     * @return forward FLOPs of one network call for one puzzle: a supervision step makes
     *     {@code cycles * (latentSteps + 1)} of them
     */
    public double flopsPerNetworkCall() {
        return flopsPerStep() / cycles / (latentSteps + 1);
    }

    /**
     * @return forward FLOPs of one supervision step for one puzzle, counting a multiply-add as 2
     *     (the GEMMs only: 18.96 GFLOP for the seed's dimensions)
     */
    public double flopsPerStep() {
        double l = sequence();
        double h = hidden;
        double mlp = 2 * l * h * 2 * mlpIntermediate() + 2 * l * mlpIntermediate() * h;
        double mix;
        if (mixer == TokenMixer.MLP) {
            double mi = mixerIntermediate();
            mix = 2 * h * l * 2 * mi + 2 * h * mi * l;
        } else {
            mix = 2 * l * h * 3 * h + 2 * l * h * h + 2 * 2 * l * l * h;
        }
        double calls = cycles * (latentSteps + 1.0);
        return calls * layers * (mlp + mix);
    }

    /** @return a one-line description */
    public String describe() {
        StringBuilder sb = new StringBuilder("@TinyRecursiveModel(hidden = ").append(hidden)
                .append(", context = ").append(context).append(", vocab = ").append(vocab)
                .append(", layers = ").append(layers).append(", latentSteps = ").append(latentSteps)
                .append(", cycles = ").append(cycles).append(", expansion = ").append(expansion)
                .append(", prefix = ").append(prefix).append(", mixer = ").append(mixer);
        if (mixer == TokenMixer.ATTENTION) {
            sb.append(", heads = ").append(heads).append(", ropeTheta = ").append(ropeTheta);
        }
        return sb.append(", haltOutputs = ").append(haltOutputs).append(", maxSupervisionSteps = ").append(maxSupervisionSteps)
                .append(", normEps = ").append(normEps).append(", seed = ").append(seed).append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** @return the descriptor JSON (annotation member names) */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("context", context);
        m.put("vocab", vocab);
        m.put("layers", layers);
        m.put("latentSteps", latentSteps);
        m.put("cycles", cycles);
        m.put("expansion", expansion);
        m.put("prefix", prefix);
        m.put("mixer", mixer.name());
        if (mixer == TokenMixer.ATTENTION) {
            m.put("heads", heads);
            m.put("ropeTheta", ropeTheta);
        }
        m.put("haltOutputs", haltOutputs);
        m.put("maxSupervisionSteps", maxSupervisionSteps);
        m.put("normEps", normEps);
        m.put("seed", seed);
        return m;
    }

    /**
     * @param m descriptor JSON (absent members: defaults)
     * @return the spec
     */
    public static TrmSpec fromJson(Map<String, Object> m) {
        Json.onlyKnown(m, builder().buildUnchecked().toJson().keySet(), "TRM descriptor");
        Builder b = builder();
        if (m.containsKey("hidden")) {
            b.hidden = Json.asInt(m.get("hidden"), "hidden");
        }
        if (m.containsKey("context")) {
            b.context = Json.asInt(m.get("context"), "context");
        }
        if (m.containsKey("vocab")) {
            b.vocab = Json.asInt(m.get("vocab"), "vocab");
        }
        if (m.containsKey("layers")) {
            b.layers = Json.asInt(m.get("layers"), "layers");
        }
        if (m.containsKey("latentSteps")) {
            b.latentSteps = Json.asInt(m.get("latentSteps"), "latentSteps");
        }
        if (m.containsKey("cycles")) {
            b.cycles = Json.asInt(m.get("cycles"), "cycles");
        }
        if (m.containsKey("expansion")) {
            b.expansion = Json.asDouble(m.get("expansion"), "expansion");
        }
        if (m.containsKey("prefix")) {
            b.prefix = Json.asInt(m.get("prefix"), "prefix");
        }
        if (m.containsKey("mixer")) {
            b.mixer = Json.asEnum(m.get("mixer"), TokenMixer.class, "mixer");
        }
        if (m.containsKey("heads")) {
            b.heads = Json.asInt(m.get("heads"), "heads");
        }
        if (m.containsKey("ropeTheta")) {
            b.ropeTheta = Json.asDouble(m.get("ropeTheta"), "ropeTheta");
        }
        if (m.containsKey("haltOutputs")) {
            b.haltOutputs = Json.asInt(m.get("haltOutputs"), "haltOutputs");
        }
        if (m.containsKey("maxSupervisionSteps")) {
            b.maxSupervisionSteps = Json.asInt(m.get("maxSupervisionSteps"), "maxSupervisionSteps");
        }
        if (m.containsKey("normEps")) {
            b.normEps = Json.asDouble(m.get("normEps"), "normEps");
        }
        if (m.containsKey("seed")) {
            b.seed = Json.asLong(m.get("seed"), "seed");
        }
        return b.build();
    }

    /** Builder with the seed model's values; the members are those of the annotation. */
    public static final class Builder {
        /** H. */
        public int hidden = 512;
        /** Input tokens. */
        public int context = 81;
        /** Vocabulary. */
        public int vocab = 11;
        /** Layers. */
        public int layers = 2;
        /** n. */
        public int latentSteps = 6;
        /** T. */
        public int cycles = 3;
        /** Expansion. */
        public double expansion = 4.0;
        /** Prefix positions. */
        public int prefix = 1;
        /** Token mixer. */
        public TokenMixer mixer = TokenMixer.MLP;
        /** Heads. */
        public int heads = 8;
        /** RoPE base. */
        public double ropeTheta = 10000.0;
        /** Q outputs. */
        public int haltOutputs = 1;
        /** ACT steps. */
        public int maxSupervisionSteps = 16;
        /** RMS epsilon. */
        public double normEps = 1e-5;
        /** Seed. */
        public long seed = 1;

        private Builder() {}

        /**
         * @param explicit members set explicitly
         * @return findings in rule order
         */
        public List<Violation> check(Set<String> explicit) {
            return TrmRules.check(this, explicit);
        }

        /** @return the spec, validated */
        public TrmSpec build() {
            InvalidDescriptorException.throwIfErrors(check(Set.of()));
            return buildUnchecked();
        }

        /** @return the spec, unchecked (attention members reset for the MLP mixer) */
        public TrmSpec buildUnchecked() {
            boolean att = mixer == TokenMixer.ATTENTION;
            return new TrmSpec(hidden, context, vocab, layers, latentSteps, cycles, expansion, prefix, mixer,
                    att ? heads : 8, att ? ropeTheta : 10000.0, haltOutputs, maxSupervisionSteps, normEps, seed);
        }
    }
}

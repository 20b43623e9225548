package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code state_dict} of the official TinyRecursiveModels TRM ({@code models/recursive_reasoning/trm.py}
 * of SamsungSAILMontreal/TinyRecursiveModels) as {@link TrmWeights}: the inner model's names, under
 * the prefix its training script adds ({@link #PREFIXES}), mapped onto the project's names. The fused
 * {@code qkv_proj} (q, k, v heads in that order) and {@code gate_up_proj} (gate rows, then up rows)
 * have the project's layouts and are taken as they are; the 2-output Q head gives its halt row alone
 * to a descriptor with {@code haltOutputs = 1}; one row of the puzzle embedding, zero-padded to the
 * prefix, becomes the prefix ({@code input_embedding.summary_token}).
 *
 * <p>Every tensor is checked against the descriptor before anything is read: a missing, unexpected or
 * misshapen one is an {@link UnrollException} naming it, both shapes and the rule; official
 * architectures the project does not compute (learned positions, no puzzle embedding, the HRM and the
 * {@code trm_singlez} / {@code trm_hier6} variants) are
 * refused by the option that selects them; so is {@code mlp_t = True}, whose token mixer normalises
 * over the sequence where the project's MLP mixer normalises over the channels. What the names cannot show ({@code H_cycles},
 * {@code L_cycles}, {@code num_heads}, {@code rope_theta}, {@code pos_encodings = none} with attention)
 * the descriptor must state: see {@link OfficialTrmArch} and {@code docs/trm.md}.
 */
public final class OfficialTrmCheckpoint {
    /**
     * The prefixes a checkpoint's names may carry, longest first: {@code pretrain.py} saves the
     * {@code torch.compile}d ({@code _orig_mod.}) loss head ({@code model.}) around the ACT wrapper
     * ({@code inner.}); {@code DISABLE_COMPILE=1} drops the first; the inner module saved alone has none.
     */
    public static final List<String> PREFIXES = List.of("_orig_mod.model.inner.", "_orig_mod.inner.", "model.inner.", "inner.", "");

    /** Why the official {@code mlp_t} token mixer is not the project's MLP mixer. */
    static final String MLP_T = "The official mlp_t block normalises the token mixer's residual over the sequence "
            + "(rms_norm over the L positions of each channel, before transposing back); the project's MLP mixer, as the seed model, "
            + "normalises over the channels of each position";

    /** The puzzle embedding's table: one row of {@code puzzle_emb_ndim} values per puzzle identifier. */
    static final String PUZZLE_EMB = "puzzle_emb.weights";

    private OfficialTrmCheckpoint() {}

    /**
     * As {@link #load(TrmSpec, TensorSource, int)} with puzzle identifier 0 (the only one of the Sudoku
     * and maze datasets).
     *
     * @param spec the descriptor the checkpoint must match
     * @param source the checkpoint's tensors (a safetensors file: {@code TensorSource.of(file)})
     * @return the weights under the project's names
     */
    public static TrmWeights load(TrmSpec spec, TensorSource source) {
        return load(spec, source, 0);
    }

    /**
     * @param spec the descriptor the checkpoint must match
     * @param source the checkpoint's tensors
     * @param puzzleIdentifier the row of {@code puzzle_emb.weights} that becomes the prefix (the
     *     dataset's {@code puzzle_identifiers} value of the puzzles to run)
     * @return the weights under the project's names
     * @throws UnrollException naming the tensor, the shapes and the rule, or the unsupported option
     */
    public static TrmWeights load(TrmSpec spec, TensorSource source, int puzzleIdentifier) {
        Checks.notNull("OfficialTrmCheckpoint.load: spec", spec);
        Checks.notNull("OfficialTrmCheckpoint.load: source", source);
        if (puzzleIdentifier < 0) {
            throw new UnrollException("OfficialTrmCheckpoint.load: puzzleIdentifier " + puzzleIdentifier + " must be >= 0");
        }
        String prefix = prefix(source);
        Map<String, String> names = innerNames(source, prefix);
        refuseArchitectures(spec, source, names);
        Map<String, long[]> expected = shapes(spec);
        checkNames(spec, source, prefix, names, expected);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] actual = source.shape(names.get(e.getKey()));
            if (!Arrays.equals(actual, e.getValue())) {
                throw new UnrollException(source.description() + ": " + names.get(e.getKey()) + " has shape " + Arrays.toString(actual)
                        + ", expected " + Arrays.toString(e.getValue()) + " = " + rule(e.getKey()) + " for " + spec.describe());
            }
        }
        long[] table = puzzleTable(spec, source, names.get(PUZZLE_EMB));
        if (puzzleIdentifier >= table[0]) {
            throw new UnrollException(source.description() + ": puzzle identifier " + puzzleIdentifier + " is not a row of " + names.get(PUZZLE_EMB)
                    + " " + Arrays.toString(table) + " (num_puzzle_identifiers = " + table[0] + ")");
        }
        return TrmWeights.load(spec, new Mapped(spec, source, names, puzzleIdentifier, (int) table[1]));
    }

    /**
     * @param source a state_dict's tensors
     * @return whether it has the official names ({@code lm_head.weight} under one of {@link #PREFIXES})
     *     rather than the project's
     */
    public static boolean isOfficial(TensorSource source) {
        Checks.notNull("OfficialTrmCheckpoint.isOfficial: source", source);
        return PREFIXES.stream().anyMatch(p -> source.names().contains(p + "lm_head.weight"));
    }

    /** The prefix under which {@code lm_head.weight} is: the checkpoint's. */
    static String prefix(TensorSource source) {
        for (String p : PREFIXES) {
            if (source.names().contains(p + "lm_head.weight")) {
                return p;
            }
        }
        List<String> some = source.names().stream().limit(4).toList();
        throw new UnrollException(source.description() + ": not a TinyRecursiveModels state_dict: no lm_head.weight under any of the prefixes "
                + PREFIXES.subList(0, PREFIXES.size() - 1) + " or none (its names begin " + some + (source.names().size() > 4 ? ", ..." : "") + ")");
    }

    /** Inner name to the checkpoint's name, for the names under the prefix (the others are extra). */
    static Map<String, String> innerNames(TensorSource source, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : source.names()) {
            if (n.startsWith(prefix)) {
                m.put(n.substring(prefix.length()), n);
            }
        }
        return m;
    }

    /**
     * The official tensors a descriptor needs (inner names, the puzzle embedding aside: its shape is
     * the checkpoint's own, {@link #puzzleTable}).
     *
     * @param spec the descriptor
     * @return name to shape, in the official module's order
     */
    public static Map<String, long[]> shapes(TrmSpec spec) {
        Checks.notNull("OfficialTrmCheckpoint.shapes: spec", spec);
        Map<String, long[]> m = new LinkedHashMap<>();
        int h = spec.hidden();
        m.put("embed_tokens.embedding_weight", new long[] {spec.vocab(), h});
        m.put("lm_head.weight", new long[] {spec.vocab(), h});
        m.put("q_head.weight", new long[] {2, h});
        m.put("q_head.bias", new long[] {2});
        for (int i = 0; i < spec.layers(); i++) {
            String p = "L_level.layers." + i + ".";
            m.put(p + "self_attn.qkv_proj.weight", new long[] {3L * h, h});
            m.put(p + "self_attn.o_proj.weight", new long[] {h, h});
            long inter = TrmSpec.intermediateExact(spec.expansion(), h);
            m.put(p + "mlp.gate_up_proj.weight", new long[] {2 * inter, h});
            m.put(p + "mlp.down_proj.weight", new long[] {h, inter});
        }
        m.put("H_init", new long[] {h});
        m.put("L_init", new long[] {h});
        return m;
    }

    /** The rule behind an official tensor's shape, in the official config's names. */
    static String rule(String inner) {
        String layer = inner.startsWith("L_level.layers.") ? inner.substring(inner.indexOf('.', "L_level.layers.".length()) + 1) : inner;
        String swiglu = " (inter(n) = round(expansion * n * 2 / 3) rounded up to a multiple of 256)";
        return switch (layer) {
            case "embed_tokens.embedding_weight", "lm_head.weight" -> "[vocab_size, hidden_size]";
            case "q_head.weight" -> "[2, hidden_size] (halt, continue)";
            case "q_head.bias" -> "[2] (halt, continue)";
            case "H_init", "L_init" -> "[hidden_size]";
            case "self_attn.qkv_proj.weight" -> "[3 * hidden_size, hidden_size] (q, k, v heads, num_heads = num_key_value_heads)";
            case "self_attn.o_proj.weight" -> "[hidden_size, hidden_size]";
            case "mlp.gate_up_proj.weight" -> "[2 * inter(hidden_size), hidden_size]" + swiglu;
            case "mlp.down_proj.weight" -> "[hidden_size, inter(hidden_size)]" + swiglu;
            default -> "the descriptor's shape";
        };
    }

    /** Refuses, by the option that selects them, the official architectures the project does not compute. */
    private static void refuseArchitectures(TrmSpec spec, TensorSource source, Map<String, String> names) {
        String where = source.description() + ": ";
        for (String n : names.keySet()) {
            if (n.startsWith("H_level.")) {
                throw new UnrollException(where + names.get(n) + " is an HRM tensor (hrm.py's H_level): not a TRM checkpoint");
            }
            if (n.matches("L[1-6]_init")) {
                throw new UnrollException(where + names.get(n) + " is the trm_hier6 variant (config/arch/trm_hier6.yaml, six latent states): "
                        + "not supported; only trm.py (one answer state H_init, one latent state L_init) is");
            }
        }
        if (names.containsKey("L_init") && !names.containsKey("H_init")) {
            throw new UnrollException(where + "L_init without H_init is the trm_singlez variant (config/arch/trm_singlez.yaml, one state): "
                    + "not supported; only trm.py (H_init and L_init) is");
        }
        if (names.containsKey("embed_pos.embedding_weight")) {
            throw new UnrollException(where + names.get("embed_pos.embedding_weight") + " " + Arrays.toString(source.shape(names.get("embed_pos.embedding_weight")))
                    + " means pos_encodings = learned: not supported (the project's attention computes pos_encodings = rope)");
        }
        if (!names.containsKey(PUZZLE_EMB)) {
            throw new UnrollException(where + "no " + PUZZLE_EMB + " means puzzle_emb_ndim = 0 (no prefix positions): not supported "
                    + "(the project's TRM reads its halting logit from a prefix position: prefix >= 1)");
        }
        boolean mlpT = names.keySet().stream().anyMatch(n -> n.startsWith("L_level.layers.") && n.contains(".mlp_t."));
        if (mlpT) {
            throw new UnrollException(where + "the checkpoint has mlp_t = True (L_level.layers.<i>.mlp_t.*): not supported. " + MLP_T);
        }
        if (spec.mixer() != TokenMixer.ATTENTION) {
            throw new UnrollException(where + "the descriptor has mixer = " + spec.mixer() + ": an official checkpoint with mlp_t = False runs with "
                    + "mixer = ATTENTION, heads = num_heads, ropeTheta = rope_theta (and mlp_t = True is not supported: " + MLP_T + ")");
        }
    }

    /** Every expected tensor present, none extra: the complete lists in one message. */
    private static void checkNames(TrmSpec spec, TensorSource source, String prefix, Map<String, String> names, Map<String, long[]> expected) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!names.containsKey(e.getKey())) {
                missing.add(prefix + e.getKey() + Arrays.toString(e.getValue()));
            }
        }
        List<String> extra = new ArrayList<>();
        for (String n : source.names()) {
            String inner = n.startsWith(prefix) ? n.substring(prefix.length()) : null;
            if (inner == null || (!expected.containsKey(inner) && !inner.equals(PUZZLE_EMB))) {
                extra.add(n + Arrays.toString(source.shape(n)));
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder sb = new StringBuilder(source.description()).append(": the TinyRecursiveModels state_dict (prefix '").append(prefix)
                    .append("') does not match ").append(spec.describe());
            if (!missing.isEmpty()) {
                sb.append("; missing ").append(String.join(", ", missing));
            }
            if (!extra.isEmpty()) {
                sb.append("; unexpected ").append(String.join(", ", extra));
            }
            throw new UnrollException(sb.toString());
        }
    }

    /** The puzzle embedding's shape, checked: {@code [identifiers >= 1][1 <= ndim <= prefix * hidden]}. */
    static long[] puzzleTable(TrmSpec spec, TensorSource source, String name) {
        long[] s = source.shape(name);
        long room = (long) spec.prefix() * spec.hidden();
        if (s.length != 2 || s[0] < 1 || s[1] < 1 || s[1] > room) {
            throw new UnrollException(source.description() + ": " + name + " has shape " + Arrays.toString(s)
                    + ", expected [num_puzzle_identifiers >= 1, puzzle_emb_ndim] with 1 <= puzzle_emb_ndim <= puzzle_emb_len * hidden_size = "
                    + spec.prefix() + " * " + spec.hidden() + " (the prefix holds it, zero-padded)");
        }
        return s;
    }

    /** The checkpoint seen under the project's names (what {@link TrmWeights#load} reads). */
    private static final class Mapped implements TensorSource {
        private final TrmSpec spec;
        private final TensorSource source;
        private final Map<String, String> official = new LinkedHashMap<>();
        private final int puzzleIdentifier;
        private final int ndim;

        Mapped(TrmSpec spec, TensorSource source, Map<String, String> names, int puzzleIdentifier, int ndim) {
            this.spec = spec;
            this.source = source;
            this.puzzleIdentifier = puzzleIdentifier;
            this.ndim = ndim;
            official.put("input_embedding.token_embedding.weight", names.get("embed_tokens.embedding_weight"));
            official.put("input_embedding.summary_token", names.get(PUZZLE_EMB));
            for (int i = 0; i < spec.layers(); i++) {
                String p = "network.layers." + i + ".";
                String o = "L_level.layers." + i + ".";
                official.put(p + "self_attn.qkv_proj.weight", names.get(o + "self_attn.qkv_proj.weight"));
                official.put(p + "self_attn.o_proj.weight", names.get(o + "self_attn.o_proj.weight"));
                official.put(p + "mlp.gate_up_proj.weight", names.get(o + "mlp.gate_up_proj.weight"));
                official.put(p + "mlp.down_proj.weight", names.get(o + "mlp.down_proj.weight"));
            }
            official.put("output_head.proj.weight", names.get("lm_head.weight"));
            official.put("q_head.proj.weight", names.get("q_head.weight"));
            official.put("q_head.proj.bias", names.get("q_head.bias"));
            official.put("y_init", names.get("H_init"));
            official.put("z_init", names.get("L_init"));
        }

        @Override
        public String description() {
            return source.description() + " (TinyRecursiveModels names)";
        }

        @Override
        public Set<String> names() {
            return new LinkedHashSet<>(official.keySet());
        }

        @Override
        public long[] shape(String name) {
            return TrmWeights.shapes(spec).get(name).clone();
        }

        @Override
        public double[] doubles(String name) {
            float[] f = floats(name);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }

        @Override
        public float[] floats(String name) {
            String from = official.get(name);
            if (from == null) {
                throw new UnrollException(description() + ": no tensor '" + name + "'");
            }
            float[] a = source.floats(from);
            int h = spec.hidden();
            return switch (name) {
                case "input_embedding.summary_token" -> {
                    float[] prefix = new float[spec.prefix() * h];
                    System.arraycopy(a, puzzleIdentifier * ndim, prefix, 0, ndim); // F.pad: zeros after the row
                    yield prefix;
                }
                case "q_head.proj.weight" -> Arrays.copyOf(a, spec.haltOutputs() * h); // row 0 halt, row 1 continue
                case "q_head.proj.bias" -> Arrays.copyOf(a, spec.haltOutputs());
                default -> a;
            };
        }
    }
}

package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The descriptor of an official TinyRecursiveModels checkpoint: what its tensor shapes show
 * ({@code hidden_size}, {@code vocab_size}, {@code L_layers}, {@code mlp_t}, {@code puzzle_emb_ndim}), completed by the training run's {@code arch.*} settings, given by their official
 * names and values (the Hydra overrides of the README's commands, e.g. {@code L_cycles=6},
 * {@code mlp_t=True}); a setting not given takes {@code config/arch/trm.yaml}'s value. A setting that
 * contradicts the shapes, or selects what the project does not compute, is refused by name.
 */
public final class OfficialTrmArch {
    /** The {@code arch.*} keys read (trm.py's config), each with {@code config/arch/trm.yaml}'s value (null: from the dataset or the shapes). */
    public static final Map<String, String> DEFAULTS = defaults();

    private OfficialTrmArch() {}

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hidden_size", null);
        m.put("seq_len", null);
        m.put("vocab_size", null);
        m.put("L_layers", null);
        m.put("H_layers", "0");
        m.put("H_cycles", "3");
        m.put("L_cycles", "6");
        m.put("expansion", "4");
        m.put("num_heads", "8");
        m.put("pos_encodings", "rope");
        m.put("rope_theta", "10000.0");
        m.put("rms_norm_eps", "1e-05");
        m.put("halt_max_steps", "16");
        m.put("halt_exploration_prob", "0.1");
        m.put("forward_dtype", "bfloat16");
        m.put("mlp_t", "False");
        m.put("puzzle_emb_len", "16");
        m.put("puzzle_emb_ndim", null);
        m.put("num_puzzle_identifiers", null);
        m.put("no_ACT_continue", "True");
        m.put("batch_size", null);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param source an official checkpoint's tensors
     * @param arch {@code arch.*} settings by official name (a {@code arch.} prefix is allowed), as text
     * @return the descriptor that runs it (checked against the shapes by {@link OfficialTrmCheckpoint#load})
     * @throws UnrollException naming the setting, its value and the rule
     */
    public static TrmSpec spec(TensorSource source, Map<String, String> arch) {
        Checks.notNull("OfficialTrmArch.spec: source", source);
        Checks.notNull("OfficialTrmArch.spec: arch", arch);
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : arch.entrySet()) {
            String key = Checks.notNull("OfficialTrmArch.spec: an arch key", e.getKey());
            String k = key.startsWith("arch.") ? key.substring(5) : key;
            if (!DEFAULTS.containsKey(k)) {
                throw new UnrollException("arch." + k + ": not a setting of trm.py's config; known: " + String.join(", ", DEFAULTS.keySet()));
            }
            given.put(k, Checks.notNull("OfficialTrmArch.spec: the value of arch." + k, e.getValue()).trim());
        }
        String namePrefix = OfficialTrmCheckpoint.prefix(source);
        Map<String, String> names = OfficialTrmCheckpoint.innerNames(source, namePrefix);
        long[] embed = shape(source, names, "embed_tokens.embedding_weight", 2);
        int hidden = agree(given, "hidden_size", embed[1], "embed_tokens.embedding_weight " + Arrays.toString(embed));
        int vocab = agree(given, "vocab_size", embed[0], "embed_tokens.embedding_weight " + Arrays.toString(embed));
        TreeSet<Integer> layers = new TreeSet<>();
        for (String n : names.keySet()) {
            if (n.startsWith("L_level.layers.")) {
                String i = n.substring("L_level.layers.".length(), Math.max("L_level.layers.".length(), n.indexOf('.', "L_level.layers.".length())));
                if (i.matches("[0-9]{1,6}")) {
                    layers.add(Integer.parseInt(i));
                }
            }
        }
        if (layers.isEmpty()) {
            throw new UnrollException(source.description() + ": no L_level.layers.<i>.* tensors (L_layers = 0)");
        }
        int nLayers = agree(given, "L_layers", layers.last() + 1L, "the L_level.layers.<i> tensors (0.." + layers.last() + ")");
        boolean mlpT = names.keySet().stream().anyMatch(n -> n.startsWith("L_level.layers.") && n.contains(".mlp_t."));
        if (given.containsKey("mlp_t") && bool(given, "mlp_t") != mlpT) {
            throw new UnrollException("arch.mlp_t=" + given.get("mlp_t") + " contradicts the checkpoint, which has " + (mlpT ? "mlp_t" : "self_attn")
                    + " tensors (mlp_t = " + (mlpT ? "True" : "False") + ")");
        }
        if (mlpT) {
            throw new UnrollException(source.description() + ": the checkpoint has mlp_t = True (L_level.layers.<i>.mlp_t.*): not supported. "
                    + OfficialTrmCheckpoint.MLP_T);
        }
        String pos = text(given, "pos_encodings").toLowerCase(Locale.ROOT);
        if (pos.equals("learned")) {
            throw new UnrollException("arch.pos_encodings=learned: learned positions are not supported (the project's attention applies RoPE)");
        }
        if (!pos.equals("rope") && !pos.equals("none")) {
            throw new UnrollException("arch.pos_encodings=" + given.get("pos_encodings") + ": must be rope, none or learned");
        }
        if (pos.equals("none")) {
            throw new UnrollException("arch.pos_encodings=none with attention (mlp_t = False): not supported (the project's attention applies RoPE)");
        }
        String dtype = text(given, "forward_dtype");
        if (!List.of("bfloat16", "float32", "float16").contains(dtype)) {
            throw new UnrollException("arch.forward_dtype=" + dtype + ": must be bfloat16, float32 or float16 (the project computes in float32 regardless)");
        }
        bool(given, "no_ACT_continue");
        number(given, "halt_exploration_prob");
        integer(given, "H_layers", 0);
        long[] puzzle = names.containsKey(OfficialTrmCheckpoint.PUZZLE_EMB) ? shape(source, names, OfficialTrmCheckpoint.PUZZLE_EMB, 2) : null;
        if (puzzle == null) {
            throw new UnrollException(source.description() + ": no " + OfficialTrmCheckpoint.PUZZLE_EMB
                    + " means puzzle_emb_ndim = 0 (no prefix positions): not supported (the project's TRM needs prefix >= 1)");
        }
        agree(given, "puzzle_emb_ndim", puzzle[1], OfficialTrmCheckpoint.PUZZLE_EMB + " " + Arrays.toString(puzzle));
        agree(given, "num_puzzle_identifiers", puzzle[0], OfficialTrmCheckpoint.PUZZLE_EMB + " " + Arrays.toString(puzzle));
        int embLen = integer(given, "puzzle_emb_len", 0);
        long prefix = embLen == 0 ? (puzzle[1] + hidden - 1) / hidden : embLen;
        if (!given.containsKey("seq_len")) {
            throw new UnrollException("arch.seq_len: not in an attention checkpoint's shapes; give it (the dataset's: 81 for Sudoku, 900 for maze and ARC)");
        }
        int seqLen = integer(given, "seq_len", 1);
        TrmSpec.Builder b = TrmSpec.builder().set(TrmSpec.HIDDEN, hidden).set(TrmSpec.VOCAB, vocab).set(TrmSpec.LAYERS, nLayers)
                .set(TrmSpec.CONTEXT, seqLen).set(TrmSpec.PREFIX, (int) prefix).set(TrmSpec.HALT_OUTPUTS, 2)
                .set(TrmSpec.CYCLES, integer(given, "H_cycles", 1)).set(TrmSpec.LATENT_STEPS, integer(given, "L_cycles", 1))
                .set(TrmSpec.EXPANSION, number(given, "expansion")).set(TrmSpec.MAX_SUPERVISION_STEPS, integer(given, "halt_max_steps", 1))
                .set(TrmSpec.NORM_EPS, number(given, "rms_norm_eps"));
        return b.set(TrmSpec.MIXER, TokenMixer.ATTENTION).set(TrmSpec.HEADS, integer(given, "num_heads", 1))
                .set(TrmSpec.ROPE_THETA, number(given, "rope_theta")).build();
    }

    private static long[] shape(TensorSource source, Map<String, String> names, String inner, int rank) {
        String n = names.get(inner);
        if (n == null) {
            throw new UnrollException(source.description() + ": no " + inner + " (under the checkpoint's prefix)");
        }
        long[] s = source.shape(n);
        if (s.length != rank) {
            throw new UnrollException(source.description() + ": " + n + " has shape " + Arrays.toString(s) + ", expected " + rank + " dimensions");
        }
        for (long d : s) {
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw new UnrollException(source.description() + ": " + n + " has shape " + Arrays.toString(s) + ": every dimension must be in [1, 2^31)");
            }
        }
        return s;
    }

    /** The value the shapes show, checked against the setting when given. */
    private static int agree(Map<String, String> given, String key, long fromShapes, String shownBy) {
        if (fromShapes < 1 || fromShapes > Integer.MAX_VALUE) {
            throw new UnrollException(key + " = " + fromShapes + " (from " + shownBy + ") is out of range");
        }
        if (given.containsKey(key) && integer(given, key, 1) != fromShapes) {
            throw new UnrollException("arch." + key + "=" + given.get(key) + " contradicts the checkpoint: " + shownBy + " shows " + key + " = " + fromShapes);
        }
        return (int) fromShapes;
    }

    private static String text(Map<String, String> given, String key) {
        String v = given.getOrDefault(key, DEFAULTS.get(key));
        if (v == null) {
            throw new UnrollException("arch." + key + ": required");
        }
        return v;
    }

    private static int integer(Map<String, String> given, String key, int min) {
        String v = text(given, key);
        try {
            int i = Integer.parseInt(v);
            if (i >= min) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UnrollException("arch." + key + "=" + v + ": must be an integer >= " + min);
    }

    private static double number(Map<String, String> given, String key) {
        String v = text(given, key);
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d) && d >= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UnrollException("arch." + key + "=" + v + ": must be a finite number >= 0");
    }

    private static boolean bool(Map<String, String> given, String key) {
        String v = text(given, key);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UnrollException("arch." + key + "=" + v + ": must be True or False");
        };
    }
}

package dev.unroll.cli.verify;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fla-convention ops {@code verify} runs, by fla's names, with what each takes and returns: its
 * required and optional tensor arguments, its results and its scalar arguments. A saved call or a
 * golden file holds exactly these tensors: anything else is named in an error, never ignored.
 */
public final class FlaOps {
    /**
     * One op.
     *
     * @param name fla's name
     * @param required tensor arguments it needs
     * @param optional tensor arguments it may take
     * @param results what it returns ({@code o} and {@code final_state}; mLSTM's {@code h}, {@code c}, {@code n}, {@code m})
     * @param scalars its scalar arguments, as descriptor members
     */
    public record Op(String name, List<String> required, List<String> optional, List<String> results, List<String> scalars) {
        /** @return every tensor name it knows: arguments, then results */
        public List<String> tensors() {
            List<String> all = new ArrayList<>(required);
            all.addAll(optional);
            all.addAll(results);
            return all;
        }

        /** @return whether it returns a final state (the flag that asks for it is output_final_state or return_last_states) */
        public boolean hasState() {
            return results.size() > 1;
        }
    }

    private static final List<String> O = List.of("o", "final_state");
    private static final Map<String, Op> OPS = new LinkedHashMap<>();

    static {
        add("naive_recurrent_gla", List.of("q", "k", "v", "gk"), List.of("initial_state", "cu_seqlens"), O, List.of("output_final_state"));
        add("naive_recurrent_simple_gla", List.of("q", "k", "v", "g"), List.of("initial_state", "cu_seqlens"), O, List.of("scale", "output_final_state"));
        add("naive_retention", List.of("q", "k", "v"), List.of(), List.of("o"), List.of());
        add("naive_recurrent_linear_attn", List.of("q", "k", "v"), List.of("initial_state"), O, List.of("scale", "output_final_state", "normalize"));
        add("delta_rule_recurrence", List.of("q", "k", "v", "beta"), List.of("initial_state"), O, List.of("output_final_state"));
        add("naive_recurrent_gated_delta_rule", List.of("q", "k", "v", "beta", "g"), List.of("initial_state", "cu_seqlens"), O,
                List.of("scale", "output_final_state"));
        add("naive_recurrent_gated_delta_product", List.of("q", "k", "v", "beta"), List.of("g", "initial_state", "cu_seqlens"), O,
                List.of("scale", "output_final_state", "num_householder"));
        add("naive_recurrent_hgrn", List.of("x", "g"), List.of("initial_state"), O, List.of("output_final_state"));
        add("naive_recurrent_rwkv7", List.of("r", "k", "v", "w", "a", "b"), List.of("initial_state"), O, List.of("scale", "output_final_state"));
        add("dplr_recurrence", List.of("q", "k", "v", "alpha", "beta", "gk"), List.of("initial_state"), O, List.of("output_final_state"));
        add("iplr_recurrence", List.of("q", "k", "v", "alpha", "beta"), List.of("initial_state"), O, List.of("output_final_state"));
        add("naive_log_linear_attn", List.of("q", "k", "v", "g", "level_scales"), List.of(), List.of("o"), List.of());
        add("mlstm_recurrent_sequence__native_fw", List.of("q", "k", "v", "i", "f"), List.of("c_initial", "n_initial", "m_initial"),
                List.of("h", "c", "n", "m"), List.of("return_last_states", "eps"));
    }

    private FlaOps() {}

    private static void add(String name, List<String> required, List<String> optional, List<String> results, List<String> scalars) {
        OPS.put(name, new Op(name, required, optional, results, scalars));
    }

    /** @return fla's names of the ops, in the order of docs/linear-attention.md's table */
    public static List<String> names() {
        return List.copyOf(OPS.keySet());
    }

    /**
     * @param name fla's name of an op
     * @return it
     * @throws UnrollException naming the ops when it is not one
     */
    public static Op of(String name) {
        Op op = OPS.get(name);
        if (op == null) {
            throw new UnrollException("op \"" + name + "\" is not one of " + names());
        }
        return op;
    }
}

package dev.unroll.cli.verify;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.fla.Fla;
import dev.unroll.runtime.fla.Result;
import dev.unroll.runtime.fla.Tensor;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies one fla-style call ({@code family = "fla"}): the descriptor names the op and its scalar
 * arguments ({@code {"op": "naive_recurrent_gla", "scale": 0.5, "output_final_state": true}}), the
 * tensors are the op's arguments under fla's names with the {@code input.} prefix
 * ({@code input.q}, {@code input.gk}, {@code input.initial_state}, {@code input.cu_seqlens} as I32),
 * the expected results {@code expected.o} and {@code expected.final_state} (mLSTM: {@code expected.h},
 * {@code expected.c}, {@code expected.n}, {@code expected.m}). The call runs through
 * {@link Fla}, in fla's layouts. Default tolerance: 1e-5 absolute.
 */
public final class FlaVerifier implements Verifier {
    /** Family name in golden metadata. */
    public static final String FAMILY = "fla";
    /** The ops this verifier runs, by fla's names. */
    public static final List<String> OPS = List.of("naive_recurrent_gla", "naive_recurrent_simple_gla", "naive_retention", "naive_recurrent_linear_attn",
            "delta_rule_recurrence", "naive_recurrent_gated_delta_rule", "naive_recurrent_gated_delta_product", "naive_recurrent_hgrn",
            "naive_recurrent_rwkv7", "dplr_recurrence", "iplr_recurrence", "naive_log_linear_attn", "mlstm_recurrent_sequence__native_fw");

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public VerifyReport verify(GoldenFile golden, Progress progress) {
        dev.unroll.runtime.internal.Checks.notNull("FlaVerifier.verify: golden", golden);
        dev.unroll.runtime.internal.Checks.notNull("FlaVerifier.verify: progress", progress);
        Map<String, Object> d = golden.descriptor();
        Json.onlyKnown(d, List.of("op", "scale", "output_final_state", "normalize", "num_householder", "eps", "return_last_states"), "fla descriptor");
        String op = Json.asString(Json.required(d, "op"), "op");
        if (!OPS.contains(op)) {
            throw new UnrollException(golden.file().source() + ": op \"" + op + "\" is not one of " + OPS);
        }
        FlaOps.Op spec = FlaOps.of(op);
        for (String name : golden.file().names()) {
            boolean known = name.startsWith(GoldenFile.INPUT) ? spec.required().contains(name.substring(GoldenFile.INPUT.length()))
                    || spec.optional().contains(name.substring(GoldenFile.INPUT.length()))
                    : name.startsWith(GoldenFile.EXPECTED) && spec.results().contains(name.substring(GoldenFile.EXPECTED.length()));
            if (!known) {
                // a tensor nobody reads would pass unchecked (a final state saved as "ht" and wrong by 1.0 did)
                throw new UnrollException(golden.file().source() + ": tensor '" + name + "' is not read by " + op + ": its golden file holds input."
                        + String.join(", input.", concat(spec.required(), spec.optional())) + " and expected." + String.join(", expected.", spec.results()));
            }
        }
        Args a = new Args(golden.file(), d);
        List<Comparison> out = new ArrayList<>();
        if (op.startsWith("mlstm")) {
            boolean states = a.flag("return_last_states") || golden.file().contains("expected.c") || golden.file().contains("expected.n")
                    || golden.file().contains("expected.m");
            Fla.MlstmResult r = Fla.mlstmRecurrentSequence(a.t("q"), a.t("k"), a.t("v"), a.t("i"), a.t("f"), a.opt("c_initial"), a.opt("n_initial"),
                    a.opt("m_initial"), states, d.containsKey("eps") ? Json.asDouble(d.get("eps"), "eps") : 1e-6);
            compare(out, golden, "expected.h", r.h());
            compare(out, golden, "expected.c", r.c());
            compare(out, golden, "expected.n", r.n());
            compare(out, golden, "expected.m", r.m());
            return report(golden, op, out);
        }
        // the final state is computed whenever the file expects one: output_final_state only says the call returned it
        boolean last = a.flag("output_final_state") || golden.file().contains("expected.final_state");
        Result r = switch (op) {
            case "naive_recurrent_gla" -> Fla.naiveRecurrentGla(a.t("q"), a.t("k"), a.t("v"), a.t("gk"), a.opt("initial_state"), last, a.cu());
            case "naive_recurrent_simple_gla" -> Fla.naiveRecurrentSimpleGla(a.t("q"), a.t("k"), a.t("v"), a.t("g"), a.scale(), a.opt("initial_state"),
                    last, a.cu());
            case "naive_retention" -> new Result(Fla.naiveRetention(a.t("q"), a.t("k"), a.t("v")), null);
            case "naive_recurrent_linear_attn" -> Fla.naiveRecurrentLinearAttn(a.t("q"), a.t("k"), a.t("v"), a.scale(), a.opt("initial_state"), last,
                    a.flag("normalize"));
            case "delta_rule_recurrence" -> Fla.deltaRuleRecurrence(a.t("q"), a.t("k"), a.t("v"), a.t("beta"), a.opt("initial_state"), last);
            case "naive_recurrent_gated_delta_rule" -> Fla.naiveRecurrentGatedDeltaRule(a.t("q"), a.t("k"), a.t("v"), a.t("beta"), a.t("g"), a.scale(),
                    a.opt("initial_state"), last, a.cu());
            case "naive_recurrent_gated_delta_product" -> Fla.naiveRecurrentGatedDeltaProduct(a.t("q"), a.t("k"), a.t("v"), a.opt("g"), a.t("beta"),
                    a.scale(), a.cu(), a.opt("initial_state"), last, a.integer("num_householder", 1));
            case "naive_recurrent_hgrn" -> Fla.naiveRecurrentHgrn(a.t("x"), a.t("g"), a.opt("initial_state"), last);
            case "naive_recurrent_rwkv7" -> Fla.naiveRecurrentRwkv7(a.t("r"), a.t("k"), a.t("v"), a.t("w"), a.t("a"), a.t("b"),
                    a.scale(), a.opt("initial_state"), last);
            case "dplr_recurrence" -> Fla.dplrRecurrence(a.t("q"), a.t("k"), a.t("v"), a.t("alpha"), a.t("beta"), a.t("gk"), a.opt("initial_state"), last);
            case "iplr_recurrence" -> Fla.iplrRecurrence(a.t("q"), a.t("k"), a.t("v"), a.t("alpha"), a.t("beta"), a.opt("initial_state"), last);
            default -> new Result(Fla.naiveLogLinearAttn(a.t("q"), a.t("k"), a.t("v"), a.t("g"), a.t("level_scales")), null);
        };
        compare(out, golden, "expected.o", r.o());
        compare(out, golden, "expected.final_state", r.finalState());
        return report(golden, op, out);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static VerifyReport report(GoldenFile golden, String op, List<Comparison> out) {
        if (out.isEmpty()) {
            throw new UnrollException(golden.file().source() + ": no expected tensor for " + op + " (expected.o, expected.final_state): nothing to verify");
        }
        return new VerifyReport(golden.file().source(), "fla-convention op " + op + " (dev.unroll.runtime.fla.Fla, f64 arithmetic)", out);
    }

    private static void compare(List<Comparison> out, GoldenFile g, String name, Tensor actual) {
        if (!g.file().contains(name)) {
            return;
        }
        if (actual == null) {
            throw new UnrollException(g.file().source() + ": " + name + " is given but the call does not return it (set output_final_state / "
                    + "return_last_states)");
        }
        double[] a = new double[actual.data().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = actual.data()[i];
        }
        Tolerance t = g.tolerance(name);
        out.add(Comparison.of(name, g.file().doubles(name), a, t == null ? new Tolerance(1e-5, 0) : t));
    }

    /** The call's arguments, read from the file by fla's names. */
    private static final class Args {
        private final SafetensorsFile f;
        private final Map<String, Object> d;

        Args(SafetensorsFile f, Map<String, Object> d) {
            this.f = f;
            this.d = d;
        }

        Tensor t(String name) {
            Tensor t = opt(name);
            if (t == null) {
                throw new UnrollException(f.source() + ": the call needs input." + name);
            }
            return t;
        }

        Tensor opt(String name) {
            String key = "input." + name;
            if (!f.contains(key)) {
                return null;
            }
            long[] shape = f.info(key).shape();
            int[] s = new int[shape.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.toIntExact(shape[i]);
            }
            return Tensor.of(f.floats(key), s);
        }

        int[] cu() {
            return f.contains("input.cu_seqlens") ? f.ints("input.cu_seqlens") : null;
        }

        Double scale() {
            return d.containsKey("scale") && d.get("scale") != null ? Json.asDouble(d.get("scale"), "scale") : null;
        }

        boolean flag(String name) {
            return d.containsKey(name) && Boolean.TRUE.equals(d.get(name));
        }

        int integer(String name, int dflt) {
            return d.containsKey(name) ? Json.asInt(d.get(name), name) : dflt;
        }
    }
}

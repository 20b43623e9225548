package dev.unroll.cli.verify;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.fla.Fla;
import dev.unroll.runtime.fla.Result;
import dev.unroll.runtime.fla.Tensor;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies fla-style calls ({@code family = "fla"}), one or several per file: the descriptor names the
 * op and its scalar arguments ({@code {"op": "naive_recurrent_gla", "scale": 0.5}}), the tensors are
 * the op's arguments under fla's names with the {@code input.} prefix ({@code input.q},
 * {@code input.gk}, {@code input.initial_state}, {@code input.cu_seqlens} as I32) and its results with
 * {@code expected.} ({@code expected.o}, {@code expected.final_state}; mLSTM: {@code expected.h},
 * {@code c}, {@code n}, {@code m}); several calls add a suffix per call ({@code input.initial_state.2},
 * {@code expected.o.2}), arguments without one being shared ({@link FlaNames}). Every call runs through
 * {@link Fla}, in fla's layouts; a tensor the op does not read or return is an error. Default
 * tolerance, stated in the report: scaled error ({@code max |error| / max |expected|}) at most
 * {@value #DEFAULT_REL}, fla's references being float32.
 */
public final class FlaVerifier implements Verifier {
    /** Family name in golden metadata. */
    public static final String FAMILY = "fla";
    /** The ops this verifier runs, by fla's names. */
    public static final List<String> OPS = FlaOps.names();
    /** The default bound of the scaled error: float32 references of f64 arithmetic, with room for a long recurrence. */
    public static final double DEFAULT_REL = 1e-5;

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public VerifyReport verify(GoldenFile golden, Progress progress) {
        Checks.notNull("FlaVerifier.verify: golden", golden);
        Checks.notNull("FlaVerifier.verify: progress", progress);
        Map<String, Object> d = golden.descriptor();
        Json.onlyKnown(d, List.of("op", "scale", "output_final_state", "normalize", "num_householder", "eps", "return_last_states"), "fla descriptor");
        String opName = Json.asString(Json.required(d, "op"), "op");
        if (!OPS.contains(opName)) {
            throw new UnrollException(golden.file().source() + ": op \"" + opName + "\" is not one of " + OPS);
        }
        FlaOps.Op op = FlaOps.of(opName);
        for (String k : d.keySet()) {
            if (!k.equals("op") && !op.scalars().contains(k)) {
                throw new UnrollException(golden.file().source() + ": " + opName + " takes no " + k + " (its scalars: " + op.scalars() + ")");
            }
        }
        FlaNames.Calls calls = FlaNames.golden(op, golden.file().names(), golden.file().source());
        List<Comparison> out = new ArrayList<>();
        boolean defaults = false;
        for (int n = 0; n < calls.ids().size(); n++) {
            String id = calls.ids().get(n);
            progress.update("verify " + golden.file().source(), n, calls.ids().size());
            Args a = new Args(golden.file(), d, calls.of(id));
            for (Map.Entry<String, Tensor> r : run(op, a).entrySet()) {
                String stored = a.tensors.get(r.getKey());
                if (stored == null) {
                    continue;
                }
                Tolerance t = golden.tolerance(stored);
                defaults |= t == null;
                out.add(compare(golden.file(), stored, r.getValue(), t == null ? new Tolerance(0, DEFAULT_REL) : t));
            }
        }
        progress.update("verify " + golden.file().source(), calls.ids().size(), calls.ids().size());
        String subject = "fla-convention op " + opName + " (dev.unroll.runtime.fla.Fla, f64 arithmetic), "
                + (calls.ids().size() == 1 && calls.ids().get(0).isEmpty() ? "one call" : calls.ids().size() + " calls " + calls.ids())
                + (defaults ? String.format(Locale.ROOT, "\n  tolerance: the fla default where the file states none, scaled error "
                        + "(max |error| / max |expected|) <= %.0e", DEFAULT_REL) : "");
        return new VerifyReport(golden.file().source(), subject, out);
    }

    /** Runs one call; returns each result it produced, by the op's names (null results left out). */
    private static Map<String, Tensor> run(FlaOps.Op op, Args a) {
        Map<String, Tensor> r = new java.util.LinkedHashMap<>();
        if (op.name().startsWith("mlstm")) {
            boolean states = a.flag("return_last_states") || a.tensors.containsKey("c") || a.tensors.containsKey("n") || a.tensors.containsKey("m");
            Fla.MlstmResult m = Fla.mlstmRecurrentSequence(a.t("q"), a.t("k"), a.t("v"), a.t("i"), a.t("f"), a.opt("c_initial"), a.opt("n_initial"),
                    a.opt("m_initial"), states, a.d.containsKey("eps") ? Json.asDouble(a.d.get("eps"), "eps") : 1e-6);
            r.put("h", m.h());
            putIfPresent(r, "c", m.c());
            putIfPresent(r, "n", m.n());
            putIfPresent(r, "m", m.m());
            return r;
        }
        // the final state is computed whenever the call expects one: output_final_state only says the call returned it
        boolean last = a.flag("output_final_state") || a.tensors.containsKey("final_state");
        Result res = switch (op.name()) {
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
            case "naive_recurrent_rwkv7" -> Fla.naiveRecurrentRwkv7(a.t("r"), a.t("k"), a.t("v"), a.t("w"), a.t("a"), a.t("b"), a.scale(),
                    a.opt("initial_state"), last);
            case "dplr_recurrence" -> Fla.dplrRecurrence(a.t("q"), a.t("k"), a.t("v"), a.t("alpha"), a.t("beta"), a.t("gk"), a.opt("initial_state"), last);
            case "iplr_recurrence" -> Fla.iplrRecurrence(a.t("q"), a.t("k"), a.t("v"), a.t("alpha"), a.t("beta"), a.opt("initial_state"), last);
            default -> new Result(Fla.naiveLogLinearAttn(a.t("q"), a.t("k"), a.t("v"), a.t("g"), a.t("level_scales")), null);
        };
        r.put("o", res.o());
        putIfPresent(r, "final_state", res.finalState());
        return r;
    }

    private static void putIfPresent(Map<String, Tensor> m, String name, Tensor t) {
        if (t != null) {
            m.put(name, t);
        }
    }

    private static Comparison compare(SafetensorsFile f, String name, Tensor actual, Tolerance t) {
        double[] a = new double[actual.data().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = actual.data()[i];
        }
        return Comparison.of(name, f.doubles(name), a, t);
    }

    /** One call's arguments, read from the file by the op's names. */
    private static final class Args {
        private final SafetensorsFile f;
        private final Map<String, Object> d;
        private final Map<String, String> tensors;

        Args(SafetensorsFile f, Map<String, Object> d, Map<String, String> tensors) {
            this.f = f;
            this.d = d;
            this.tensors = tensors;
        }

        Tensor t(String name) {
            Tensor t = opt(name);
            if (t == null) {
                throw new UnrollException(f.source() + ": the call needs input." + name);
            }
            return t;
        }

        Tensor opt(String name) {
            String key = tensors.get(name);
            if (key == null) {
                return null;
            }
            long[] shape = f.info(key).shape();
            int[] s = new int[shape.length];
            for (int i = 0; i < s.length; i++) {
                if (shape[i] > Integer.MAX_VALUE) {
                    throw new UnrollException(f.source() + ": tensor '" + key + "' has a dimension of " + shape[i]);
                }
                s[i] = (int) shape[i];
            }
            return Tensor.of(f.floats(key), s);
        }

        int[] cu() {
            String key = tensors.get("cu_seqlens");
            if (key == null) {
                return null;
            }
            DType t = f.info(key).dtype();
            if (t != DType.I32 && t != DType.I64) {
                throw new UnrollException(f.source() + ": " + key + " is " + t + ": cu_seqlens are integer offsets (I32 or I64)");
            }
            return f.ints(key);
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

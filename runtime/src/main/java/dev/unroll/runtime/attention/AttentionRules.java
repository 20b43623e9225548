package dev.unroll.runtime.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validation rules of {@code @LinearAttention}, shared by the annotation processor (which
 * anchors each finding on the annotation member) and by run-time builders (which throw).
 * Rules run in a fixed order and all findings are reported. See {@code docs/linear-attention.md}.
 */
public final class AttentionRules {
    /** Levels are tracked in a 64-bit mask; 62 levels cover 2^62 tokens. */
    public static final int MAX_LEVELS_LIMIT = 62;

    private AttentionRules() {}

    /**
     * @param b raw member values
     * @param explicit members the user set explicitly
     * @return findings in rule order
     */
    static List<Violation> check(AttentionSpec.Builder b, Set<String> explicit) {
        List<Violation> out = new ArrayList<>();
        positive(out, "width", b.width);
        positive(out, "heads", b.heads);
        if (explicit.contains("keyWidth") || b.keyWidth != 0) {
            positive(out, "keyWidth", b.keyWidth);
        }
        if (explicit.contains("valueWidth") || b.valueWidth != 0) {
            positive(out, "valueWidth", b.valueWidth);
        }
        boolean derived = b.keyWidth == 0 || b.valueWidth == 0;
        if (derived && b.width >= 1 && b.heads >= 1 && b.width % b.heads != 0) {
            String which = b.keyWidth == 0 && b.valueWidth == 0 ? "keyWidth and valueWidth default"
                    : b.keyWidth == 0 ? "keyWidth defaults" : "valueWidth defaults";
            out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "heads", Diagnostic.HEADS_NOT_DIVISOR.format(
                    "width", b.width, "heads", b.heads, " (" + which + " to width / heads)")));
        }
        if (b.seed == 0) {
            out.add(new Violation(Diagnostic.SEED_ZERO, "seed", Diagnostic.SEED_ZERO.format()));
        }
        modeParameters(out, b);
        unusedParameters(out, b, explicit);
        return out;
    }

    private static void modeParameters(List<Violation> out, AttentionSpec.Builder b) {
        switch (b.mode) {
            case RETNET -> open(out, "gamma", b.gamma, 0, 1, "(0, 1)", ": a decay of 1 or more makes the state grow without bound");
            case GATED_DELTA_NET -> {
                if (b.betaMode == BetaMode.STATIC) {
                    range(out, "betaScale", b.betaScale, v -> v > 0 && v <= 2, "(0, 2]",
                            ": beyond 2 the delta step I - beta k k^T expands the state");
                }
            }
            case RWKV -> range(out, "initialDecay", b.initialDecay, v -> v >= 0, "[0, inf)",
                    ": a negative base rate lets the decay exceed 1");
            case DELTA_PRODUCT -> positive(out, "compositions", b.compositions);
            case HGRN2 -> range(out, "lowerBound", b.lowerBound, v -> v >= 0 && v < 1, "[0, 1)",
                    ": a forget gate of 1 or more makes the state grow without bound");
            case LOG_LINEAR -> {
                if (b.inner == AttentionMode.LOG_LINEAR) {
                    out.add(new Violation(Diagnostic.NESTED_LOG_LINEAR, "inner", Diagnostic.NESTED_LOG_LINEAR.format()));
                }
                if (b.maxLevels < 1) {
                    positive(out, "maxLevels", b.maxLevels);
                } else if (b.maxLevels > MAX_LEVELS_LIMIT) {
                    out.add(new Violation(Diagnostic.TOO_LARGE, "maxLevels", Diagnostic.TOO_LARGE.format(
                            "maxLevels", b.maxLevels, MAX_LEVELS_LIMIT, "levels are tracked in a 64-bit mask (2^62 tokens)")));
                }
                if (!Double.isNaN(b.lambdaInit) && !Double.isFinite(b.lambdaInit)) {
                    out.add(new Violation(Diagnostic.NOT_FINITE, "lambdaInit", Diagnostic.NOT_FINITE.format("lambdaInit", b.lambdaInit)));
                }
            }
            default -> {
            }
        }
    }

    /** The modes that read each mode parameter (LogLinear's inner mode reads none of them). */
    private static Map<String, String> owners() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gamma", "RETNET");
        m.put("betaScale", "GATED_DELTA_NET");
        m.put("betaMode", "GATED_DELTA_NET");
        m.put("initialDecay", "RWKV");
        m.put("compositions", "DELTA_PRODUCT");
        m.put("reflections", "DELTA_PRODUCT");
        m.put("lowerBound", "HGRN2");
        m.put("inner", "LOG_LINEAR");
        m.put("maxLevels", "LOG_LINEAR");
        m.put("lambdaInit", "LOG_LINEAR");
        return m;
    }

    private static void unusedParameters(List<Violation> out, AttentionSpec.Builder b, Set<String> explicit) {
        for (Map.Entry<String, String> e : owners().entrySet()) {
            String member = e.getKey();
            if (!explicit.contains(member)) {
                continue;
            }
            String owner = e.getValue();
            Object value = value(b, member);
            if (owner.equals(b.mode.name())) {
                if (member.equals("betaScale") && b.betaMode == BetaMode.PER_TOKEN) {
                    out.add(new Violation(Diagnostic.PARAMETER_NOT_USED, member, Diagnostic.PARAMETER_NOT_USED.format(
                            member, value, "GATED_DELTA_NET with betaMode = PER_TOKEN", " (beta is sigmoid(w_beta . x))")));
                }
                continue;
            }
            if (b.mode == AttentionMode.LOG_LINEAR && owner.equals(b.inner.name())) {
                out.add(new Violation(Diagnostic.PARAMETER_IGNORED, member, Diagnostic.PARAMETER_IGNORED.format(
                        member, value, "LOG_LINEAR uses its inner mode " + b.inner
                                + " only to decide whether leaf keys are L2-normalised, never its update rule")));
                continue;
            }
            out.add(new Violation(Diagnostic.PARAMETER_NOT_USED, member, Diagnostic.PARAMETER_NOT_USED.format(
                    member, value, "mode " + b.mode, " (it belongs to " + owner + ")")));
        }
    }

    private static Object value(AttentionSpec.Builder b, String member) {
        return switch (member) {
            case "gamma" -> b.gamma;
            case "betaScale" -> b.betaScale;
            case "betaMode" -> b.betaMode;
            case "initialDecay" -> b.initialDecay;
            case "compositions" -> b.compositions;
            case "reflections" -> b.reflections;
            case "lowerBound" -> b.lowerBound;
            case "inner" -> b.inner;
            case "maxLevels" -> b.maxLevels;
            case "lambdaInit" -> b.lambdaInit;
            default -> throw new IllegalArgumentException(member);
        };
    }

    private static void positive(List<Violation> out, String member, long value) {
        if (value < 1) {
            out.add(new Violation(Diagnostic.NON_POSITIVE, member, Diagnostic.NON_POSITIVE.format(member, value)));
        }
    }

    private static void open(List<Violation> out, String member, double v, double lo, double hi, String range, String why) {
        range(out, member, v, x -> x > lo && x < hi, range, why);
    }

    private static void range(List<Violation> out, String member, double v, java.util.function.DoublePredicate ok, String range, String why) {
        if (!Double.isFinite(v)) {
            out.add(new Violation(Diagnostic.NOT_FINITE, member, Diagnostic.NOT_FINITE.format(member, v)));
        } else if (!ok.test(v)) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, member, Diagnostic.OUT_OF_RANGE.format(member, v, range, why)));
        }
    }
}

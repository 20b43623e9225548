package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The validation rules of {@code @TinyRecursiveModel}, shared by the processor and run-time builders. */
public final class TrmRules {
    private TrmRules() {}

    static List<Violation> check(TrmSpec.Builder b, Set<String> explicit) {
        List<Violation> out = new ArrayList<>();
        positive(out, "hidden", b.hidden);
        positive(out, "context", b.context);
        positive(out, "vocab", b.vocab);
        positive(out, "layers", b.layers);
        positive(out, "latentSteps", b.latentSteps);
        positive(out, "cycles", b.cycles);
        positive(out, "prefix", b.prefix);
        positive(out, "maxSupervisionSteps", b.maxSupervisionSteps);
        if (!Double.isFinite(b.expansion)) {
            out.add(new Violation(Diagnostic.NOT_FINITE, "expansion", Diagnostic.NOT_FINITE.format("expansion", b.expansion)));
        } else if (b.expansion <= 0) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, "expansion", Diagnostic.OUT_OF_RANGE.format("expansion", b.expansion, "(0, inf)", "")));
        }
        if (!Double.isFinite(b.normEps)) {
            out.add(new Violation(Diagnostic.NOT_FINITE, "normEps", Diagnostic.NOT_FINITE.format("normEps", b.normEps)));
        } else if (b.normEps <= 0) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, "normEps", Diagnostic.OUT_OF_RANGE.format("normEps", b.normEps, "(0, inf)",
                    ": RMS norm divides by sqrt(mean + eps)")));
        }
        if (b.haltOutputs != 1 && b.haltOutputs != 2) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, "haltOutputs", Diagnostic.OUT_OF_RANGE.format("haltOutputs", b.haltOutputs, "{1, 2}",
                    ": 1 halt logit (the seed) or halt and continue (the original)")));
        }
        long seq = (long) b.context + b.prefix;
        if (b.context >= 1 && b.prefix >= 1 && seq > TrmSpec.MAX_SEQUENCE) {
            out.add(new Violation(Diagnostic.TOO_LARGE, "context", Diagnostic.TOO_LARGE.format("context + prefix", seq, TrmSpec.MAX_SEQUENCE,
                    b.mixer == TokenMixer.MLP ? "the MLP mixer's weights grow with the square of the sequence"
                            : "attention keeps a score matrix per head and sequence")));
        }
        if (b.mixer == TokenMixer.ATTENTION) {
            positive(out, "heads", b.heads);
            if (b.heads >= 1 && b.hidden >= 1) {
                if (b.hidden % b.heads != 0) {
                    out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "heads", Diagnostic.HEADS_NOT_DIVISOR.format("hidden", b.hidden, "heads", b.heads, "")));
                } else if ((b.hidden / b.heads) % 2 != 0) {
                    out.add(new Violation(Diagnostic.ODD_HEAD_WIDTH, "heads", Diagnostic.ODD_HEAD_WIDTH.format("hidden / heads", b.hidden / b.heads)));
                }
            }
            if (!(b.ropeTheta > 0) || !Double.isFinite(b.ropeTheta)) {
                out.add(new Violation(Diagnostic.OUT_OF_RANGE, "ropeTheta", Diagnostic.OUT_OF_RANGE.format("ropeTheta", b.ropeTheta, "(0, inf)", "")));
            }
        } else {
            for (String m : List.of("heads", "ropeTheta")) {
                if (explicit.contains(m)) {
                    Object v = m.equals("heads") ? (Object) b.heads : (Object) b.ropeTheta;
                    out.add(new Violation(Diagnostic.PARAMETER_NOT_USED, m, Diagnostic.PARAMETER_NOT_USED.format(m, v, "mixer MLP",
                            " (it belongs to mixer ATTENTION)")));
                }
            }
        }
        if (b.seed == 0) {
            out.add(new Violation(Diagnostic.SEED_ZERO, "seed", Diagnostic.SEED_ZERO.format()));
        }
        limits(out, b);
        return out;
    }

    private static final String ARRAY = "one Java array holds it";

    /** Limits on every member and, when those hold, on the sizes derived from them (computed exactly). */
    private static void limits(List<Violation> out, TrmSpec.Builder b) {
        boolean ok = Limits.atMost(out, "hidden", "hidden", b.hidden, Limits.MAX_WIDTH, "a Unroll kernel's widths stay within 65,536");
        ok &= Limits.atMost(out, "vocab", "vocab", b.vocab, Limits.MAX_VOCAB, "the output head has a row per token");
        ok &= Limits.atMost(out, "layers", "layers", b.layers, Limits.MAX_LAYERS, "the network's weights are held per layer");
        ok &= Limits.atMost(out, "latentSteps", "cycles x (latentSteps + 1)", (long) b.cycles * (b.latentSteps + 1L), Limits.MAX_RECURSION_CALLS,
                "network calls per supervision step");
        ok &= Limits.atMost(out, "maxSupervisionSteps", "maxSupervisionSteps", b.maxSupervisionSteps, Limits.MAX_SUPERVISION_STEPS,
                "ACT runs at most this many steps per puzzle");
        ok &= Limits.atMost(out, "heads", "heads", b.heads, Limits.MAX_HEADS, "a score matrix per head");
        if (Double.isFinite(b.expansion) && b.expansion > Limits.MAX_EXPANSION) {
            out.add(new Violation(Diagnostic.TOO_LARGE, "expansion", Diagnostic.TOO_LARGE.format("expansion", b.expansion, Limits.MAX_EXPANSION,
                    "the SwiGLU widths grow with it")));
            ok = false;
        }
        if (!ok || out.stream().anyMatch(Violation::isError)) {
            return;
        }
        long seq = (long) b.context + b.prefix;
        long mlp = TrmSpec.intermediateExact(b.expansion, b.hidden);
        Limits.atMost(out, "hidden", "the channel MLP (2 x " + mlp + " x hidden)", 2 * mlp * b.hidden, Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "vocab", "the embedding (vocab x hidden)", (long) b.vocab * b.hidden, Limits.MAX_ARRAY, ARRAY);
        if (b.mixer == TokenMixer.MLP) {
            long mix = TrmSpec.intermediateExact(b.expansion, (int) seq);
            Limits.atMost(out, "context", "the token mixer (2 x " + mix + " x (context + prefix))", 2 * mix * seq, Limits.MAX_ARRAY, ARRAY);
        } else {
            Limits.atMost(out, "hidden", "the q, k, v projection (3 x hidden x hidden)", 3L * b.hidden * b.hidden, Limits.MAX_ARRAY, ARRAY);
        }
    }

    private static void positive(List<Violation> out, String member, long value) {
        if (value < 1) {
            out.add(new Violation(Diagnostic.NON_POSITIVE, member, Diagnostic.NON_POSITIVE.format(member, value)));
        }
    }
}

package dev.unroll.runtime.trm;

import static dev.unroll.runtime.trm.TrmSpec.CONTEXT;
import static dev.unroll.runtime.trm.TrmSpec.CYCLES;
import static dev.unroll.runtime.trm.TrmSpec.EXPANSION;
import static dev.unroll.runtime.trm.TrmSpec.HEADS;
import static dev.unroll.runtime.trm.TrmSpec.HIDDEN;
import static dev.unroll.runtime.trm.TrmSpec.LATENT_STEPS;
import static dev.unroll.runtime.trm.TrmSpec.LAYERS;
import static dev.unroll.runtime.trm.TrmSpec.MAX_SUPERVISION_STEPS;
import static dev.unroll.runtime.trm.TrmSpec.MIXER;
import static dev.unroll.runtime.trm.TrmSpec.PREFIX;
import static dev.unroll.runtime.trm.TrmSpec.VOCAB;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The validation rules of {@code @TinyRecursiveModel}, shared by the processor and run-time builders. */
public final class TrmRules {
    private TrmRules() {}

    static List<Violation> check(TrmSpec.Builder b, Set<String> explicit) {
        List<Violation> out = new ArrayList<>();
        TokenMixer mixer = b.get(MIXER);
        // each member's own range, from the table
        for (Parameter<?> p : TrmSpec.PARAMETERS) {
            if (TrmSpec.applies(p, mixer)) {
                p.check(b.get(p), out);
            }
        }
        int hidden = b.get(HIDDEN);
        int context = b.get(CONTEXT);
        int prefix = b.get(PREFIX);
        long seq = (long) context + prefix;
        if (context >= 1 && prefix >= 1 && seq > TrmSpec.MAX_SEQUENCE) {
            out.add(new Violation(Diagnostic.TOO_LARGE, "context", Diagnostic.TOO_LARGE.format("context + prefix", seq, TrmSpec.MAX_SEQUENCE,
                    mixer == TokenMixer.MLP ? "the MLP mixer's weights grow with the square of the sequence"
                            : "attention keeps a score matrix per head and sequence")));
        }
        if (mixer == TokenMixer.ATTENTION) {
            int heads = b.get(HEADS);
            if (heads >= 1 && hidden >= 1) {
                if (hidden % heads != 0) {
                    out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "heads", Diagnostic.HEADS_NOT_DIVISOR.format("hidden", hidden, "heads", heads, "")));
                } else if ((hidden / heads) % 2 != 0) {
                    out.add(new Violation(Diagnostic.ODD_HEAD_WIDTH, "heads", Diagnostic.ODD_HEAD_WIDTH.format("hidden / heads", hidden / heads)));
                }
            }
        } else {
            for (Parameter<?> p : TrmSpec.PARAMETERS) {
                if (!TrmSpec.applies(p, mixer) && explicit.contains(p.name())) {
                    out.add(new Violation(Diagnostic.PARAMETER_NOT_USED, p.name(), Diagnostic.PARAMETER_NOT_USED.format(p.name(), p.toSource(b.get(p)),
                            "mixer MLP", " (it belongs to mixer ATTENTION)")));
                }
            }
        }
        limits(out, b);
        return out;
    }

    private static final String ARRAY = "one Java array holds it";

    /** Limits on every member and, when those hold, on the sizes derived from them (computed exactly). */
    private static void limits(List<Violation> out, TrmSpec.Builder b) {
        boolean ok = Limits.atMost(out, "hidden", "hidden", b.get(HIDDEN), Limits.MAX_WIDTH, "a Unroll kernel's widths stay within 65,536");
        ok &= Limits.atMost(out, "vocab", "vocab", b.get(VOCAB), Limits.MAX_VOCAB, "the output head has a row per token");
        ok &= Limits.atMost(out, "layers", "layers", b.get(LAYERS), Limits.MAX_LAYERS, "the network's weights are held per layer");
        ok &= Limits.atMost(out, "latentSteps", "cycles x (latentSteps + 1)", (long) b.get(CYCLES) * (b.get(LATENT_STEPS) + 1L), Limits.MAX_RECURSION_CALLS,
                "network calls per supervision step");
        ok &= Limits.atMost(out, "maxSupervisionSteps", "maxSupervisionSteps", b.get(MAX_SUPERVISION_STEPS), Limits.MAX_SUPERVISION_STEPS,
                "ACT runs at most this many steps per puzzle");
        ok &= Limits.atMost(out, "heads", "heads", b.get(HEADS), Limits.MAX_HEADS, "a score matrix per head");
        if (Double.isFinite(b.get(EXPANSION)) && b.get(EXPANSION) > Limits.MAX_EXPANSION) {
            out.add(new Violation(Diagnostic.TOO_LARGE, "expansion", Diagnostic.TOO_LARGE.format("expansion", b.get(EXPANSION), Limits.MAX_EXPANSION,
                    "the SwiGLU widths grow with it")));
            ok = false;
        }
        if (!ok || out.stream().anyMatch(Violation::isError)) {
            return;
        }
        long seq = (long) b.get(CONTEXT) + b.get(PREFIX);
        long mlp = TrmSpec.intermediateExact(b.get(EXPANSION), b.get(HIDDEN));
        Limits.atMost(out, "hidden", "the channel MLP (2 x " + mlp + " x hidden)", 2 * mlp * b.get(HIDDEN), Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "vocab", "the embedding (vocab x hidden)", (long) b.get(VOCAB) * b.get(HIDDEN), Limits.MAX_ARRAY, ARRAY);
        if (b.get(MIXER) == TokenMixer.MLP) {
            long mix = TrmSpec.intermediateExact(b.get(EXPANSION), (int) seq);
            Limits.atMost(out, "context", "the token mixer (2 x " + mix + " x (context + prefix))", 2 * mix * seq, Limits.MAX_ARRAY, ARRAY);
        } else {
            Limits.atMost(out, "hidden", "the q, k, v projection (3 x hidden x hidden)", 3L * b.get(HIDDEN) * b.get(HIDDEN), Limits.MAX_ARRAY, ARRAY);
        }
    }

}

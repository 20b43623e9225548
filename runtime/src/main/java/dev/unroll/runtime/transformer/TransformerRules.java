package dev.unroll.runtime.transformer;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rules of {@code @Transformer} and {@code @RecurrentPass}. The recurrent-pass rules run in the
 * reference's order ({@code depth}, then {@code loopStart <= loopEnd}, then {@code loopEnd < layers})
 * with its wording; unlike the reference, all of them are reported.
 */
public final class TransformerRules {
    private TransformerRules() {}

    static List<Violation> check(TransformerSpec.Builder b, Set<String> explicit) {
        List<Violation> out = new ArrayList<>();
        positive(out, "layers", b.layers);
        positive(out, "width", b.width);
        positive(out, "heads", b.heads);
        if (explicit.contains("kvHeads") || b.kvHeads != 0) {
            positive(out, "kvHeads", b.kvHeads);
        }
        positive(out, "ffnHidden", b.ffnHidden);
        positive(out, "vocab", b.vocab);
        positive(out, "maxSeq", b.maxSeq);
        if (b.width >= 1 && b.heads >= 1) {
            if (b.width % b.heads != 0) {
                out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "heads", Diagnostic.HEADS_NOT_DIVISOR.format("width", b.width, "heads", b.heads, "")));
            } else if ((b.width / b.heads) % 2 != 0) {
                out.add(new Violation(Diagnostic.ODD_HEAD_WIDTH, "heads", Diagnostic.ODD_HEAD_WIDTH.format("width / heads", b.width / b.heads)));
            }
        }
        int kv = b.kvHeads == 0 ? b.heads : b.kvHeads;
        if (kv >= 1 && b.heads >= 1 && b.heads % kv != 0) {
            out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "kvHeads", Diagnostic.HEADS_NOT_DIVISOR.format("heads", b.heads, "kvHeads", kv,
                    " (each key/value head serves heads / kvHeads query heads)")));
        }
        if (!(b.ropeTheta > 0) || !Double.isFinite(b.ropeTheta)) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, "ropeTheta", Diagnostic.OUT_OF_RANGE.format("ropeTheta", b.ropeTheta, "(0, inf)", "")));
        }
        if (!(b.normEps > 0) || !Double.isFinite(b.normEps)) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, "normEps", Diagnostic.OUT_OF_RANGE.format("normEps", b.normEps, "(0, inf)", "")));
        }
        if (b.hasBlock) {
            if (b.depth < 1) {
                out.add(new Violation(Diagnostic.DEPTH_TOO_SMALL, "depth", Diagnostic.DEPTH_TOO_SMALL.format(b.depth)));
            }
            if (b.loopStart > b.loopEnd) {
                out.add(new Violation(Diagnostic.LOOP_START_AFTER_END, "loopStart", Diagnostic.LOOP_START_AFTER_END.format(b.loopStart, b.loopEnd)));
            }
            if (b.loopEnd >= b.layers) {
                out.add(new Violation(Diagnostic.LOOP_END_OUT_OF_RANGE, "loopEnd", Diagnostic.LOOP_END_OUT_OF_RANGE.format(b.loopEnd, b.layers)));
            }
            if (b.loopStart < 0) {
                out.add(new Violation(Diagnostic.OUT_OF_RANGE, "loopStart", Diagnostic.OUT_OF_RANGE.format("loopStart", b.loopStart, "[0, loopEnd]", "")));
            }
            Limits.atMost(out, "depth", "depth", b.depth, Limits.MAX_DEPTH, "each pass of the block keeps its own KV caches");
        }
        limits(out, b);
        return out;
    }

    private static final String ARRAY = "one Java array holds it";

    /** Limits on every member and, when those hold, on the sizes derived from them (computed exactly). */
    private static void limits(List<Violation> out, TransformerSpec.Builder b) {
        boolean ok = Limits.atMost(out, "layers", "layers", b.layers, Limits.MAX_LAYERS, "the weights and caches are held per layer");
        ok &= Limits.atMost(out, "width", "width", b.width, Limits.MAX_WIDTH, "a Unroll kernel's widths stay within 65,536");
        ok &= Limits.atMost(out, "heads", "heads", b.heads, Limits.MAX_HEADS, "attention scores are computed per head");
        ok &= Limits.atMost(out, "ffnHidden", "ffnHidden", b.ffnHidden, 16L * Limits.MAX_WIDTH, "the MLP's widths stay within 16 x 65,536");
        ok &= Limits.atMost(out, "vocab", "vocab", b.vocab, Limits.MAX_VOCAB, "the classifier has a row per token");
        ok &= Limits.atMost(out, "maxSeq", "maxSeq", b.maxSeq, Limits.MAX_POSITIONS, "the KV caches and RoPE tables have a row per position");
        if (!ok || out.stream().anyMatch(Violation::isError)) {
            return;
        }
        long kvWidth = (long) (b.kvHeads == 0 ? b.heads : b.kvHeads) * (b.width / b.heads);
        Limits.atMost(out, "vocab", "the embedding (vocab x width)", (long) b.vocab * b.width, Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "width", "a projection (width x width)", (long) b.width * b.width, Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "ffnHidden", "an MLP projection (ffnHidden x width)", (long) b.ffnHidden * b.width, Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "maxSeq", "a KV cache (maxSeq x " + kvWidth + ")", b.maxSeq * kvWidth, Limits.MAX_ARRAY, ARRAY);
    }

    private static void positive(List<Violation> out, String member, long value) {
        if (value < 1) {
            out.add(new Violation(Diagnostic.NON_POSITIVE, member, Diagnostic.NON_POSITIVE.format(member, value)));
        }
    }
}

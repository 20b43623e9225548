package dev.unroll.runtime.transformer;

import static dev.unroll.runtime.transformer.TransformerSpec.FFN_HIDDEN;
import static dev.unroll.runtime.transformer.TransformerSpec.HEADS;
import static dev.unroll.runtime.transformer.TransformerSpec.KV_HEADS;
import static dev.unroll.runtime.transformer.TransformerSpec.LAYERS;
import static dev.unroll.runtime.transformer.TransformerSpec.MAX_SEQ;
import static dev.unroll.runtime.transformer.TransformerSpec.VOCAB;
import static dev.unroll.runtime.transformer.TransformerSpec.WIDTH;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;
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
        // each member's own range, from the table; kvHeads 0 means heads, so it is checked only when set
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            if (p == KV_HEADS) {
                if (explicit.contains(p.name()) || b.get(KV_HEADS) != 0) {
                    Range.positive().check(p.name(), b.get(KV_HEADS), out);
                }
            } else {
                p.check(b.get(p), out);
            }
        }
        int width = b.get(WIDTH);
        int heads = b.get(HEADS);
        int layers = b.get(LAYERS);
        int headDim = b.get(TransformerSpec.HEAD_DIM);
        if (headDim < 0) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, TransformerSpec.HEAD_DIM.name(), Diagnostic.OUT_OF_RANGE.format(
                    TransformerSpec.HEAD_DIM.name(), headDim, "[0, " + Limits.MAX_WIDTH + "]", ": 0 means width / heads")));
        } else if (headDim > 0) {
            if (headDim % 2 != 0) {
                out.add(new Violation(Diagnostic.ODD_HEAD_WIDTH, "headDim", Diagnostic.ODD_HEAD_WIDTH.format("headDim", headDim)));
            }
        } else if (width >= 1 && heads >= 1) {
            if (width % heads != 0) {
                out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "heads", Diagnostic.HEADS_NOT_DIVISOR.format("width", width, "heads", heads, "")));
            } else if ((width / heads) % 2 != 0) {
                out.add(new Violation(Diagnostic.ODD_HEAD_WIDTH, "heads", Diagnostic.ODD_HEAD_WIDTH.format("width / heads", width / heads)));
            }
        }
        int kv = b.get(KV_HEADS) == 0 ? heads : b.get(KV_HEADS);
        if (kv >= 1 && heads >= 1 && heads % kv != 0) {
            out.add(new Violation(Diagnostic.HEADS_NOT_DIVISOR, "kvHeads", Diagnostic.HEADS_NOT_DIVISOR.format("heads", heads, "kvHeads", kv,
                    " (each key/value head serves heads / kvHeads query heads)")));
        }
        double scaling = b.get(TransformerSpec.ROPE_SCALING);
        double low = b.get(TransformerSpec.ROPE_LOW_FREQ_FACTOR);
        double high = b.get(TransformerSpec.ROPE_HIGH_FREQ_FACTOR);
        if (scaling != 1.0 && low > 0 && high > 0 && !(high > low)) {
            out.add(new Violation(Diagnostic.OUT_OF_RANGE, TransformerSpec.ROPE_HIGH_FREQ_FACTOR.name(), Diagnostic.OUT_OF_RANGE.format(
                    TransformerSpec.ROPE_HIGH_FREQ_FACTOR.name(), high, "(ropeLowFreqFactor = " + low + ", infinity)",
                    ": Llama 3 scaling interpolates the frequencies between the two bands")));
        }
        TransformerSpec.Block block = b.block();
        if (block != null) {
            if (block.depth() < 1) {
                out.add(new Violation(Diagnostic.DEPTH_TOO_SMALL, "depth", Diagnostic.DEPTH_TOO_SMALL.format(block.depth())));
            }
            if (block.loopStart() > block.loopEnd()) {
                out.add(new Violation(Diagnostic.LOOP_START_AFTER_END, "loopStart", Diagnostic.LOOP_START_AFTER_END.format(block.loopStart(), block.loopEnd())));
            }
            if (block.loopEnd() >= layers) {
                out.add(new Violation(Diagnostic.LOOP_END_OUT_OF_RANGE, "loopEnd", Diagnostic.LOOP_END_OUT_OF_RANGE.format(block.loopEnd(), layers)));
            }
            if (block.loopStart() < 0) {
                out.add(new Violation(Diagnostic.OUT_OF_RANGE, "loopStart", Diagnostic.OUT_OF_RANGE.format("loopStart", block.loopStart(), "[0, loopEnd]", "")));
            }
            Limits.atMost(out, "depth", "depth", block.depth(), Limits.MAX_DEPTH, "each pass of the block keeps its own KV caches");
        }
        limits(out, b);
        return out;
    }

    private static final String ARRAY = "one Java array holds it";

    /** Limits on every member and, when those hold, on the sizes derived from them (computed exactly). */
    private static void limits(List<Violation> out, TransformerSpec.Builder b) {
        int layers = b.get(LAYERS);
        int width = b.get(WIDTH);
        int heads = b.get(HEADS);
        boolean ok = Limits.atMost(out, "layers", "layers", layers, Limits.MAX_LAYERS, "the weights and caches are held per layer");
        ok &= Limits.atMost(out, "width", "width", width, Limits.MAX_WIDTH, "a Unroll kernel's widths stay within 65,536");
        ok &= Limits.atMost(out, "heads", "heads", heads, Limits.MAX_HEADS, "attention scores are computed per head");
        ok &= Limits.atMost(out, "headDim", "headDim", b.get(TransformerSpec.HEAD_DIM), Limits.MAX_WIDTH, "a Unroll kernel's widths stay within 65,536");
        ok &= Limits.atMost(out, "ffnHidden", "ffnHidden", b.get(FFN_HIDDEN), 16L * Limits.MAX_WIDTH, "the MLP's widths stay within 16 x 65,536");
        ok &= Limits.atMost(out, "vocab", "vocab", b.get(VOCAB), Limits.MAX_VOCAB, "the classifier has a row per token");
        ok &= Limits.atMost(out, "maxSeq", "maxSeq", b.get(MAX_SEQ), Limits.MAX_POSITIONS, "the KV caches and RoPE tables have a row per position");
        if (!ok || out.stream().anyMatch(Violation::isError)) {
            return;
        }
        long headWidth = b.get(TransformerSpec.HEAD_DIM) != 0 ? b.get(TransformerSpec.HEAD_DIM) : width / heads;
        long kvWidth = (long) (b.get(KV_HEADS) == 0 ? heads : b.get(KV_HEADS)) * headWidth;
        Limits.atMost(out, "vocab", "the embedding (vocab x width)", (long) b.get(VOCAB) * width, Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "width", "a projection (width x width)", (long) width * width, Limits.MAX_ARRAY, ARRAY);
        if (b.get(TransformerSpec.HEAD_DIM) != 0) {
            Limits.atMost(out, "headDim", "the query projection (heads x headDim x width)", heads * headWidth * width, Limits.MAX_ARRAY, ARRAY);
        }
        Limits.atMost(out, "ffnHidden", "an MLP projection (ffnHidden x width)", (long) b.get(FFN_HIDDEN) * width, Limits.MAX_ARRAY, ARRAY);
        Limits.atMost(out, "maxSeq", "a KV cache (maxSeq x " + kvWidth + ")", b.get(MAX_SEQ) * kvWidth, Limits.MAX_ARRAY, ARRAY);
    }

}

package dev.unroll.bench.llama;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * Decoders at the shapes of llama2.c's stories15M (dim 288, 6 layers, 6 heads, FFN 768) and
 * stories110M (dim 768, 12 layers, 12 heads, FFN 2048), vocabulary 32000, 256 positions, and of
 * TinyLlama-1.1B (dim 2048, 22 layers, 32 heads, 4 key/value heads, FFN 5632, vocabulary 32000,
 * 2048 positions, classifier tied as llama2.c's checkpoints tie it), in each weight format. Their checkpoints are made by {@link SeededCheckpoint} (seeded random weights, not
 * committed) and compared against run.c by {@code bench/vs-runc.sh}.
 */
final class Shapes {
    private Shapes() {}

    /** stories15M's shape, F32. */
    @Transformer(layers = 6, width = 288, heads = 6, ffnHidden = 768, vocab = 32000, maxSeq = 256)
    interface Stories15M {}

    /** stories15M's shape, BF16 matrices. */
    @Transformer(layers = 6, width = 288, heads = 6, ffnHidden = 768, vocab = 32000, maxSeq = 256, weights = WeightFormat.BF16)
    interface Stories15MBf16 {}

    /** stories15M's shape, Q8 matrices. */
    @Transformer(layers = 6, width = 288, heads = 6, ffnHidden = 768, vocab = 32000, maxSeq = 256, weights = WeightFormat.Q8)
    interface Stories15MQ8 {}

    /** stories15M's shape, Q4 matrices. */
    @Transformer(layers = 6, width = 288, heads = 6, ffnHidden = 768, vocab = 32000, maxSeq = 256, weights = WeightFormat.Q4)
    interface Stories15MQ4 {}

    /** stories110M's shape, F32. */
    @Transformer(layers = 12, width = 768, heads = 12, ffnHidden = 2048, vocab = 32000, maxSeq = 256)
    interface Stories110M {}

    /** stories110M's shape, BF16 matrices. */
    @Transformer(layers = 12, width = 768, heads = 12, ffnHidden = 2048, vocab = 32000, maxSeq = 256, weights = WeightFormat.BF16)
    interface Stories110MBf16 {}

    /** stories110M's shape, Q8 matrices. */
    @Transformer(layers = 12, width = 768, heads = 12, ffnHidden = 2048, vocab = 32000, maxSeq = 256, weights = WeightFormat.Q8)
    interface Stories110MQ8 {}

    /** stories110M's shape, Q4 matrices. */
    @Transformer(layers = 12, width = 768, heads = 12, ffnHidden = 2048, vocab = 32000, maxSeq = 256, weights = WeightFormat.Q4)
    interface Stories110MQ4 {}

    /** TinyLlama-1.1B's shape (grouped-query attention, 4 key/value heads), F32. */
    @Transformer(layers = 22, width = 2048, heads = 32, kvHeads = 4, ffnHidden = 5632, vocab = 32000, maxSeq = 2048)
    interface TinyLlama1B {}

    /** TinyLlama-1.1B's shape, BF16 matrices. */
    @Transformer(layers = 22, width = 2048, heads = 32, kvHeads = 4, ffnHidden = 5632, vocab = 32000, maxSeq = 2048, weights = WeightFormat.BF16)
    interface TinyLlama1BBf16 {}

    /** TinyLlama-1.1B's shape, Q8 matrices. */
    @Transformer(layers = 22, width = 2048, heads = 32, kvHeads = 4, ffnHidden = 5632, vocab = 32000, maxSeq = 2048, weights = WeightFormat.Q8)
    interface TinyLlama1BQ8 {}

    /** TinyLlama-1.1B's shape, Q4 matrices. */
    @Transformer(layers = 22, width = 2048, heads = 32, kvHeads = 4, ffnHidden = 5632, vocab = 32000, maxSeq = 2048, weights = WeightFormat.Q4)
    interface TinyLlama1BQ4 {}
}

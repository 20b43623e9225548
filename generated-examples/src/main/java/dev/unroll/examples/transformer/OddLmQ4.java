package dev.unroll.examples.transformer;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * A decoder with an odd feed-forward width (45: the down projection's rows end on half a byte of
 * {@link WeightFormat#Q4} codes and inside a block of 32) and a width of 96 (one whole 64-row panel
 * and a partial one): the Q4 kernels' edge cases, checked by {@code Q4EdgeShapesTest}.
 */
@Transformer(layers = 1, width = 96, heads = 4, kvHeads = 2, ffnHidden = 45, vocab = 70, maxSeq = 48, weights = WeightFormat.Q4)
public interface OddLmQ4 {}

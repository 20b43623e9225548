package dev.unroll.examples.transformer;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * A decoder whose every matrix spans several 64-row panels, the last one partial (width 160,
 * feed-forward 200, vocabulary 300), with its matrices as {@link WeightFormat#Q4}:
 * the shape that tests one token's products split over threads
 * ({@code DecodePartsTest}) in every part, at uneven part boundaries.
 */
@Transformer(layers = 2, width = 160, heads = 5, kvHeads = 5, ffnHidden = 200, vocab = 300, maxSeq = 64, weights = WeightFormat.Q4)
public interface SplitLmQ4 {}

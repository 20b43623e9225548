package dev.unroll.examples.transformer;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * {@link Stories260K} with its matrices stored as {@link WeightFormat#BF16}, converted from the F32
 * checkpoint at load time.
 */
@Transformer(layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512, weights = WeightFormat.BF16)
public interface Stories260KBf16 {}

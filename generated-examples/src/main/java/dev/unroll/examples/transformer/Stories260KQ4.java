package dev.unroll.examples.transformer;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * {@link Stories260K} with its matrices stored as {@link WeightFormat#Q4}, converted from the F32
 * checkpoint at load time, or read as they are from a GGUF file of Q4_0 matrices (llama.cpp's own
 * quantisation of the checkpoint, {@code GgufBlockFormatsTest}).
 */
@Transformer(layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512, weights = WeightFormat.Q4)
public interface Stories260KQ4 {}

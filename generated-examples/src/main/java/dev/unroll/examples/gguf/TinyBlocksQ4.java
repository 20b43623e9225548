package dev.unroll.examples.gguf;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * The shape of {@code data/gguf/tiny-blocks-q4_0.gguf} (a seeded decoder whose every matrix is whole
 * blocks of 32 along its rows, which llama.cpp's {@code llama_model_quantize} stored entirely in Q4_0):
 * its matrices run as the file's codes and scales, nothing quantised again. Checked by
 * {@code GgufBlockFormatsTest}.
 */
@Transformer(layers = 2, width = 64, heads = 4, kvHeads = 2, ffnHidden = 128, vocab = 256, maxSeq = 64, weights = WeightFormat.Q4)
public interface TinyBlocksQ4 {}

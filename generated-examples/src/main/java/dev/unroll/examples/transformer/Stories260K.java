package dev.unroll.examples.transformer;

import dev.unroll.annotations.Transformer;

/**
 * Karpathy's stories260K (llama2.c): 5 layers, width 64, 8 heads over 4 key/value heads, FFN 172,
 * 512 tokens, 512 positions, tied classifier, interleaved RoPE. Model: {@code $UNROLL_SHARED/models/stories260K}.
 */
@Transformer(layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512)
public interface Stories260K {}

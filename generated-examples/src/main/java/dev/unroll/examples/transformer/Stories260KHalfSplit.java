package dev.unroll.examples.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.annotations.Transformer;

/** stories260K as Hugging Face would store it: half-split RoPE (the q/k rows permuted to match). */
@Transformer(layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512, rope = RopeLayout.HALF_SPLIT)
public interface Stories260KHalfSplit {}

package dev.unroll.examples.transformer;

import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.Transformer;

/** stories260K with layers 1..3 run twice per token ("anacrousis"): the block is unrolled in the generated forward. */
@Transformer(layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512)
@RecurrentPass(loopStart = 1, loopEnd = 3, depth = 2)
public interface Stories260KLooped {}

package dev.unroll.bench.hf;

import dev.unroll.annotations.Transformer;

/**
 * SmolLM2-135M's shape (30 layers, width 576, 9 query heads over 3 key/value heads, MLP 1536, a
 * vocabulary of 49152, tied classifier, rope_theta 100000), read from its published {@code config.json}
 * (a copy under {@code src/main/resources/configs/smollm2-135m}, origin in the runtime's
 * {@code data/configs/README.md}); its 8192 positions capped at 512. Checked against a PyTorch forward
 * by {@code RealShapesReferenceTest}.
 */
@Transformer(config = "configs/smollm2-135m/config.json", maxSeq = 512)
public interface SmolLM2 {}

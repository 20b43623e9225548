package dev.unroll.bench.hf;

import dev.unroll.annotations.Transformer;

/**
 * Qwen2.5-0.5B's shape (24 layers, width 896, 14 query heads over 2 key/value heads, MLP 4864, a
 * vocabulary of 151936, tied classifier, biases on q, k and v), read from its published
 * {@code config.json} (a copy under {@code src/main/resources/configs/qwen2.5-0.5b}, origin in the
 * runtime's {@code data/configs/README.md}); its 32768 positions capped at 512. Checked against a PyTorch
 * forward by {@code RealShapesReferenceTest}.
 */
@Transformer(config = "configs/qwen2.5-0.5b/config.json", maxSeq = 512)
public interface Qwen25 {}

package dev.unroll.bench.hf;

import dev.unroll.annotations.Transformer;

/**
 * Qwen3-0.6B's shape (28 layers, width 1024, 16 query heads of 128 over 8 key/value heads, so queries
 * 2048 wide; MLP 3072, a vocabulary of 151936, tied classifier, q and k head norms), read from its
 * published {@code config.json} (a copy under {@code src/main/resources/configs/qwen3-0.6b}, origin in
 * the runtime's {@code data/configs/README.md}); its 40960 positions capped at 512. Checked against a
 * PyTorch forward by {@code RealShapesReferenceTest}.
 */
@Transformer(config = "configs/qwen3-0.6b/config.json", maxSeq = 512)
public interface Qwen3 {}

package dev.unroll.examples.hf;

import dev.unroll.annotations.Transformer;

/**
 * A Qwen2 decoder read from {@code configs/tiny-qwen2/config.json} (2 layers, width 64, 4 heads over 2
 * key/value heads, tied classifier, rope_theta 10^6): biases on q, k and v ({@code qkvBias}). Checked
 * against the PyTorch reference by {@code QwenTest}.
 */
@Transformer(config = "configs/tiny-qwen2/config.json")
public interface TinyQwen2 {}

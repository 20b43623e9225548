package dev.unroll.examples.hf;

import dev.unroll.annotations.Transformer;

/**
 * A Qwen3 decoder read from {@code configs/tiny-qwen3/config.json} (2 layers, width 64, 4 heads of 16
 * over 2 key/value heads, tied classifier): an RMSNorm on each query and key head before RoPE
 * ({@code qkNorm}). Checked against the PyTorch reference by {@code QwenTest}.
 */
@Transformer(config = "configs/tiny-qwen3/config.json")
public interface TinyQwen3 {}

package dev.unroll.examples.hf;

import dev.unroll.annotations.Transformer;

/**
 * {@link TinyQwen3} with heads of 32 where width / heads is 16 ({@code configs/tiny-qwen3-hd32/config.json},
 * {@code head_dim} 32, as Qwen3-0.6B's 128 over 1024 / 16): queries and the attention output 128 wide on a
 * stream of 64. Checked against the PyTorch reference by {@code QwenTest}.
 */
@Transformer(config = "configs/tiny-qwen3-hd32/config.json")
public interface TinyQwen3Wide {}

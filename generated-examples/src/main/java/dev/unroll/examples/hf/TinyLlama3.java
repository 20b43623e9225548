package dev.unroll.examples.hf;

import dev.unroll.annotations.Transformer;

/**
 * A decoder with Llama 3's RoPE scaling, read from {@code configs/tiny-llama3/config.json} (2 layers,
 * width 64, 4 heads over 2 key/value heads, tied classifier, rope_theta 500000, {@code rope_scaling}
 * of type llama3 with factor 8 over an original context of 16 positions, so that every frequency but
 * the highest is scaled or interpolated): the scaling reaches the generated model's rotary tables.
 * Checked against the PyTorch reference by {@code TinyLlama3Test}.
 */
@Transformer(config = "configs/tiny-llama3/config.json")
public interface TinyLlama3 {}

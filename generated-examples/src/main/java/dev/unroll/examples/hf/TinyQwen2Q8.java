package dev.unroll.examples.hf;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/** {@link TinyQwen2} with its matrices in Q8 (the biases stay F32). Checked by {@code QwenTest}. */
@Transformer(config = "configs/tiny-qwen2/config.json", weights = WeightFormat.Q8)
public interface TinyQwen2Q8 {}

package dev.unroll.bench.hf;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * {@link SmolLM2} with its matrices in {@link WeightFormat#BF16}: what {@code unroll run transformer
 * --format BF16} runs on a SmolLM2-shaped folder ({@code SmolLM2FolderTest}).
 */
@Transformer(config = "configs/smollm2-135m/config.json", maxSeq = 512, weights = WeightFormat.BF16)
public interface SmolLM2Bf16 {}

package dev.unroll.bench.hf;

import dev.unroll.annotations.Transformer;
import dev.unroll.annotations.WeightFormat;

/**
 * {@link SmolLM2} with its matrices in {@link WeightFormat#Q4}: what {@code unroll run transformer
 * --format Q4} runs on a SmolLM2-shaped folder ({@code SmolLM2FolderTest}).
 */
@Transformer(config = "configs/smollm2-135m/config.json", maxSeq = 512, weights = WeightFormat.Q4)
public interface SmolLM2Q4 {}

package dev.unroll.flink.example;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;

/**
 * The example job's layer: a Gated DeltaNet feature extractor over 32-value sensor readings, four
 * heads. Unroll generates {@code SensorFeaturesLayer} from it at compile time.
 */
@LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 32, heads = 4)
public interface SensorFeatures {}

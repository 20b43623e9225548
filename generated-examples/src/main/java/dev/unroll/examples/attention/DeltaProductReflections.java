package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * DeltaProduct with 2 steps and reflections (beta in (0, 2)).
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/deltaproduct_n2_reflections.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class DeltaProductReflections {
    private DeltaProductReflections() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 16, reflections = true)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 16, precision = Precision.F64, reflections = true)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 64, reflections = true)
    public interface D64 {}
}

package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * DeltaProduct with 2 Householder steps per token.
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/deltaproduct_n2.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class DeltaProduct {
    private DeltaProduct() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 16)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 16, precision = Precision.F64)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 64)
    public interface D64 {}
}

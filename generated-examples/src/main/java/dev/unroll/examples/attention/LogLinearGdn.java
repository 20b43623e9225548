package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * Log-linear attention over Gated DeltaNet (32 levels).
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/loglinear_gdn_static.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class LogLinearGdn {
    private LogLinearGdn() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16, inner = AttentionMode.GATED_DELTA_NET)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16, precision = Precision.F64, inner = AttentionMode.GATED_DELTA_NET)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 64, inner = AttentionMode.GATED_DELTA_NET)
    public interface D64 {}
}

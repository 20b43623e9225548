package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * Log-linear attention over GLA (32 levels).
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/loglinear_gla.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class LogLinearGla {
    private LogLinearGla() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16, inner = AttentionMode.GLA)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16, precision = Precision.F64, inner = AttentionMode.GLA)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 64, inner = AttentionMode.GLA)
    public interface D64 {}
}

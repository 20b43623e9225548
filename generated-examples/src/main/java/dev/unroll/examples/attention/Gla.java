package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * GLA with one sigmoid gate per head.
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/gla.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class Gla {
    private Gla() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.GLA, width = 16)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.GLA, width = 16, precision = Precision.F64)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.GLA, width = 64)
    public interface D64 {}
}

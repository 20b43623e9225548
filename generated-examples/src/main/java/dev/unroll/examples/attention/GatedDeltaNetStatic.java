package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * Gated DeltaNet with a static beta (betaScale 1.0).
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/gated_deltanet_static.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class GatedDeltaNetStatic {
    private GatedDeltaNetStatic() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 16, betaMode = BetaMode.STATIC)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 16, precision = Precision.F64, betaMode = BetaMode.STATIC)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 64, betaMode = BetaMode.STATIC)
    public interface D64 {}
}

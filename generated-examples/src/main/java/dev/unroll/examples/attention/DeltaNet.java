package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * DeltaNet: the delta rule with L2-normalised keys.
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/deltanet.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class DeltaNet {
    private DeltaNet() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.DELTA_NET, width = 16)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.DELTA_NET, width = 16, precision = Precision.F64)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.DELTA_NET, width = 64)
    public interface D64 {}
}

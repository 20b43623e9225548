package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.Precision;

/**
 * mLSTM as the reference computes it: sigmoid forget and input gates.
 *
 * <p>Golden data: {@code $UNROLL_SHARED/golden/attention/mlstm.json} (and {@code .amp.json}), seed 42, the
 * reference's defaults otherwise.
 */
public final class Mlstm {
    private Mlstm() {}

    /** Width 16, 4 heads, f32: the golden files' size. */
    @LinearAttention(mode = AttentionMode.MLSTM, width = 16)
    public interface D16 {}

    /** Width 16, 4 heads, f64: reference-exact. */
    @LinearAttention(mode = AttentionMode.MLSTM, width = 16, precision = Precision.F64)
    public interface D16F64 {}

    /** Width 64, 4 heads, f32. */
    @LinearAttention(mode = AttentionMode.MLSTM, width = 64)
    public interface D64 {}
}

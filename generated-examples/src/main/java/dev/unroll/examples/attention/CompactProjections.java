package dev.unroll.examples.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.WeightFormat;

/**
 * Layers whose projections are stored compactly ({@link WeightFormat#BF16}, {@link WeightFormat#Q8},
 * {@link WeightFormat#Q4}),
 * width 64, 4 heads: a matrix-state mode, a vector-state mode, one with a tanh output, and
 * log-linear attention (whose readout projects slices of the fused matrix).
 */
public final class CompactProjections {
    private CompactProjections() {}

    /** Gated DeltaNet, static beta, BF16 projections. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 64, betaMode = BetaMode.STATIC, weights = WeightFormat.BF16)
    public interface GatedDeltaNetBf16 {}

    /** Gated DeltaNet, static beta, Q8 projections. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 64, betaMode = BetaMode.STATIC, weights = WeightFormat.Q8)
    public interface GatedDeltaNetQ8 {}

    /** Gated DeltaNet, static beta, Q4 projections. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 64, betaMode = BetaMode.STATIC, weights = WeightFormat.Q4)
    public interface GatedDeltaNetQ4 {}

    /** Hawk (a vector state), BF16 projections. */
    @LinearAttention(mode = AttentionMode.HAWK, width = 64, weights = WeightFormat.BF16)
    public interface HawkBf16 {}

    /** RWKV-7 (tanh on the output), Q8 projections. */
    @LinearAttention(mode = AttentionMode.RWKV7, width = 64, weights = WeightFormat.Q8)
    public interface Rwkv7Q8 {}

    /** RWKV-7 (tanh on the output), Q4 projections. */
    @LinearAttention(mode = AttentionMode.RWKV7, width = 64, weights = WeightFormat.Q4)
    public interface Rwkv7Q4 {}

    /** Log-linear GLA, BF16 projections. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 64, inner = AttentionMode.GLA, weights = WeightFormat.BF16)
    public interface LogLinearGlaBf16 {}

    /** Log-linear GLA, Q8 projections. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 64, inner = AttentionMode.GLA, weights = WeightFormat.Q8)
    public interface LogLinearGlaQ8 {}

    /** Log-linear GLA, Q4 projections. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 64, inner = AttentionMode.GLA, weights = WeightFormat.Q4)
    public interface LogLinearGlaQ4 {}
}

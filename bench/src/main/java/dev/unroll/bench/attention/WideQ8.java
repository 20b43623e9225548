package dev.unroll.bench.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.WeightFormat;

/** {@link Wide} with Q8 projections: every variant at width 256 with 8 heads (K = V = 32), seed 42. */
public final class WideQ8 {
    private WideQ8() {}

    /** RetNet at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.RETNET, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface RetNet {}

    /** Hawk at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.HAWK, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface Hawk {}

    /** Gla at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GLA, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface Gla {}

    /** GlaVector at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GLA_VECTOR, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface GlaVector {}

    /** DeltaNet at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.DELTA_NET, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface DeltaNet {}

    /** GatedDeltaNetStatic at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 256, heads = 8, betaMode = BetaMode.STATIC, weights = WeightFormat.Q8)
    public interface GatedDeltaNetStatic {}

    /** GatedDeltaNetPerToken at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 256, heads = 8, betaMode = BetaMode.PER_TOKEN, weights = WeightFormat.Q8)
    public interface GatedDeltaNetPerToken {}

    /** Rwkv at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.RWKV, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface Rwkv {}

    /** Mlstm at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.MLSTM, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface Mlstm {}

    /** DeltaProduct at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface DeltaProduct {}

    /** DeltaProductReflections at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 256, heads = 8, reflections = true, weights = WeightFormat.Q8)
    public interface DeltaProductReflections {}

    /** Rwkv7 at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.RWKV7, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface Rwkv7 {}

    /** Hgrn2 at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.HGRN2, width = 256, heads = 8, weights = WeightFormat.Q8)
    public interface Hgrn2 {}

    /** LogLinearGdn at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 256, heads = 8, inner = AttentionMode.GATED_DELTA_NET, weights = WeightFormat.Q8)
    public interface LogLinearGdn {}

    /** LogLinearGla at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 256, heads = 8, inner = AttentionMode.GLA, weights = WeightFormat.Q8)
    public interface LogLinearGla {}
}

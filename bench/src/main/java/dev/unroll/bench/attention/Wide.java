package dev.unroll.bench.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.LinearAttention;

/** The benchmark's large descriptors: every variant at width 256 with 8 heads (K = V = 32), f32, seed 42. */
public final class Wide {
    private Wide() {}

    /** RetNet at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.RETNET, width = 256, heads = 8)
    public interface RetNet {}

    /** Hawk at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.HAWK, width = 256, heads = 8)
    public interface Hawk {}

    /** Gla at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GLA, width = 256, heads = 8)
    public interface Gla {}

    /** GlaVector at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GLA_VECTOR, width = 256, heads = 8)
    public interface GlaVector {}

    /** DeltaNet at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.DELTA_NET, width = 256, heads = 8)
    public interface DeltaNet {}

    /** GatedDeltaNetStatic at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 256, heads = 8, betaMode = BetaMode.STATIC)
    public interface GatedDeltaNetStatic {}

    /** GatedDeltaNetPerToken at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 256, heads = 8, betaMode = BetaMode.PER_TOKEN)
    public interface GatedDeltaNetPerToken {}

    /** Rwkv at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.RWKV, width = 256, heads = 8)
    public interface Rwkv {}

    /** Mlstm at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.MLSTM, width = 256, heads = 8)
    public interface Mlstm {}

    /** DeltaProduct at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 256, heads = 8)
    public interface DeltaProduct {}

    /** DeltaProductReflections at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 256, heads = 8, reflections = true)
    public interface DeltaProductReflections {}

    /** Rwkv7 at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.RWKV7, width = 256, heads = 8)
    public interface Rwkv7 {}

    /** Hgrn2 at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.HGRN2, width = 256, heads = 8)
    public interface Hgrn2 {}

    /** LogLinearGdn at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 256, heads = 8, inner = AttentionMode.GATED_DELTA_NET)
    public interface LogLinearGdn {}

    /** LogLinearGla at width 256, 8 heads. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 256, heads = 8, inner = AttentionMode.GLA)
    public interface LogLinearGla {}
}

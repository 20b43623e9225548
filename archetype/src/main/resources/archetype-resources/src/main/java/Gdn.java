package ${package};

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.LinearAttention;

/**
 * A streaming linear-attention layer: Gated DeltaNet, width 128, 4 heads, a beta per token. Unroll
 * generates {@code GdnLayer} from this descriptor at compile time (scalar and SIMD flavours, every
 * dimension a constant); change a member and rebuild, and a wrong value is a compile error on it.
 */
@LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 128, heads = 4, betaMode = BetaMode.PER_TOKEN)
public interface Gdn {}

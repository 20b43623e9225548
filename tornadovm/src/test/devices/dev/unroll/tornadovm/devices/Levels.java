package dev.unroll.tornadovm.devices;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;

/**
 * Descriptors that only the device checks compile: log-linear attention with three levels, so that the
 * 128 tokens of a check fill the binary counter and fold into the top level (the path the examples'
 * 32 levels never reach), over both inner modes.
 */
public final class Levels {
    private Levels() {}

    /** Over Gated DeltaNet, width 32. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 32, heads = 2, inner = AttentionMode.GATED_DELTA_NET, maxLevels = 3)
    public interface LogLinearGdnL3 {}

    /** Over GLA, width 32. */
    @LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 32, heads = 2, inner = AttentionMode.GLA, maxLevels = 3)
    public interface LogLinearGlaL3 {}
}

package dev.unroll.runtime.attention.mode;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;

/** The typed keys of log-linear attention's own {@code @LinearAttention} members, for {@code AttentionSpec.Builder.set} and {@code AttentionSpec.get}. */
public final class LogLinearMode {
    /** Levels are tracked in a 64-bit mask; 62 levels cover 2^62 tokens. */
    public static final int MAX_LEVELS_LIMIT = 62;

    private LogLinearMode() {}

    /** The wrapped mode. */
    public static final Parameter<AttentionMode> INNER = Parameter.choice("inner", AttentionMode.class,
            AttentionMode.GATED_DELTA_NET, "inner", "the wrapped mode (decides leaf-key normalisation only)");
    /** Fenwick levels. */
    public static final Parameter<Integer> MAX_LEVELS = Parameter.integer("maxLevels", 32, Range.positive(), "max_levels",
            "Fenwick levels, 1 to " + MAX_LEVELS_LIMIT);
    /** Bias of the level logits (NaN: 1 / maxLevels). */
    public static final Parameter<Double> LAMBDA_INIT = Parameter.real("lambdaInit", Double.NaN, Range.any(), "lambda_init",
            "bias of the level logits; NaN means 1 / maxLevels");
}

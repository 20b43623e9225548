package dev.unroll.runtime.attention.mode;

import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;

/** The typed keys of DeltaProduct's own {@code @LinearAttention} members, for {@code AttentionSpec.Builder.set} and {@code AttentionSpec.get}. */
public final class DeltaProductMode {
    private DeltaProductMode() {}

    /** Householder steps per token. */
    public static final Parameter<Integer> COMPOSITIONS = Parameter.integer("compositions", 2, Range.positive(), "n_compositions",
            "Householder steps per token");
    /** Whether beta ranges over (0, 2). */
    public static final Parameter<Boolean> REFLECTIONS = Parameter.flag("reflections", false, "reflections",
            "beta = 2 sigmoid(.) instead of sigmoid(.): steps may reflect");
}

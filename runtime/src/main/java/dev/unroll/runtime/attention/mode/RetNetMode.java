package dev.unroll.runtime.attention.mode;

import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;

/** The typed keys of RetNet's own {@code @LinearAttention} members, for {@code AttentionSpec.Builder.set} and {@code AttentionSpec.get}. */
public final class RetNetMode {
    private RetNetMode() {}

    /** The decay. */
    public static final Parameter<Double> GAMMA = Parameter.real("gamma", 0.95,
            Range.open(0, 1, ": a decay of 1 or more makes the state grow without bound"), "gamma", "RetNet's fixed decay");
}

package dev.unroll.runtime.attention.mode;

import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;

/** The typed keys of HGRN2's own {@code @LinearAttention} members, for {@code AttentionSpec.Builder.set} and {@code AttentionSpec.get}. */
public final class Hgrn2Mode {
    private Hgrn2Mode() {}

    /** The forget gate's lower bound. */
    public static final Parameter<Double> LOWER_BOUND = Parameter.real("lowerBound", 0.9,
            Range.interval(0, true, 1, false, ": a forget gate of 1 or more makes the state grow without bound"), "lower_bound",
            "the forget gate's lower bound");
}

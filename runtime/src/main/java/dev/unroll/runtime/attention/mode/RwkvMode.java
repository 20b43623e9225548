package dev.unroll.runtime.attention.mode;

import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;

/** The typed keys of RWKV's own {@code @LinearAttention} members, for {@code AttentionSpec.Builder.set} and {@code AttentionSpec.get}. */
public final class RwkvMode {
    private RwkvMode() {}

    /** The base decay rate. */
    public static final Parameter<Double> INITIAL_DECAY = Parameter.real("initialDecay", 0.5,
            Range.interval(0, true, Double.POSITIVE_INFINITY, false, ": a negative base rate lets the decay exceed 1"), "initial_decay",
            "RWKV's base decay rate");
}

package dev.unroll.runtime.attention.mode;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;
import java.util.List;

/** RetNet: {@code S = gamma S + k v^T} with a fixed decay. */
public final class RetNetMode extends ModeDefinition {
    /** The decay. */
    public static final Parameter<Double> GAMMA = Parameter.real("gamma", 0.95,
            Range.open(0, 1, ": a decay of 1 or more makes the state grow without bound"), "gamma", "RetNet's fixed decay");

    @Override
    public AttentionMode mode() {
        return AttentionMode.RETNET;
    }

    @Override
    public String referenceName() {
        return "RetNet";
    }

    @Override
    public String update() {
        return "`S = γS + k vᵀ`";
    }

    @Override
    public String notes() {
        return "one γ for all heads";
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(GAMMA);
    }

    @Override
    public void recur(GenericPass p) {
        LinearRecurrences.decay(p.dims(), 1.0, p.q(), p.key(), p.val(), p.filled(p.spec().get(GAMMA)), p.state(), p.out());
    }
}

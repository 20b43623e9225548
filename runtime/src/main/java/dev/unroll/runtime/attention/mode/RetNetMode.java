package dev.unroll.runtime.attention.mode;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import java.util.List;

/** RetNet: {@code S = gamma S + k v^T} with a fixed decay. */
public final class RetNetMode extends ModeDefinition {
    /** The decay. */
    public static final ModeParameter<Double> GAMMA = ModeParameter.real("gamma", 0.95, "gamma", "RetNet's fixed decay, in (0, 1)");

    @Override
    public AttentionMode mode() {
        return AttentionMode.RETNET;
    }

    @Override
    public String referenceName() {
        return "RetNet";
    }

    @Override
    public List<ModeParameter<?>> parameters() {
        return List.of(GAMMA);
    }

    @Override
    public void check(ModeValues values, Findings out) {
        out.open(GAMMA.name(), values.get(GAMMA), 0, 1, ": a decay of 1 or more makes the state grow without bound");
    }

    @Override
    public void recur(GenericPass p) {
        LinearRecurrences.decay(p.dims(), 1.0, p.q(), p.key(), p.val(), p.filled(p.spec().get(GAMMA)), p.state(), p.out());
    }
}

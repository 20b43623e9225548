package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.mode.RetNetMode;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Parameter;
import java.util.List;

/** RetNet: {@code S = gamma S + k v^T} with a fixed decay. */
public final class RetNetDefinition extends ModeDefinition {

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
    public Class<?> keys() {
        return RetNetMode.class;
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(RetNetMode.GAMMA);
    }

    @Override
    public void recur(GenericPass p) {
        LinearRecurrences.decay(p.dims(), 1.0, p.q(), p.key(), p.val(), p.filled(p.spec().get(RetNetMode.GAMMA)), p.state(), p.out());
    }
}

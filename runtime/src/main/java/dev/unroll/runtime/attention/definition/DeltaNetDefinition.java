package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.internal.ops.LinearRecurrences;

/** DeltaNet: the delta rule {@code S += k (v - S^T k)^T} with L2-normalised keys. */
public final class DeltaNetDefinition extends ModeDefinition {
    @Override
    public AttentionMode mode() {
        return AttentionMode.DELTA_NET;
    }

    @Override
    public String referenceName() {
        return "DeltaNet";
    }

    @Override
    public String update() {
        return "`k̂ = k/‖k‖`; `S += k̂ (v − Sᵀk̂)ᵀ`";
    }

    @Override
    public String notes() {
        return "tanh on the output";
    }

    @Override
    public boolean deltaRule() {
        return true;
    }

    @Override
    public boolean tanhOutput() {
        return true;
    }

    @Override
    public void recur(GenericPass p) {
        LinearRecurrences.l2normalise(p.key(), p.tokens() * p.spec().heads(), p.spec().keyWidth());
        LinearRecurrences.delta(p.dims(), 1.0, p.q(), p.key(), p.val(), null, null, p.state(), p.out());
    }
}

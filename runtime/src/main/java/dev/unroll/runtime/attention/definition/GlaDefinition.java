package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;

/** Gated linear attention: {@code S = sigmoid(w_gate . x) S + k v^T}, one gate per head. */
public final class GlaDefinition extends ModeDefinition {
    @Override
    public AttentionMode mode() {
        return AttentionMode.GLA;
    }

    @Override
    public String referenceName() {
        return "GLA";
    }

    @Override
    public String update() {
        return "`S = σ(w_g·x) S + k vᵀ`";
    }

    @Override
    public String notes() {
        return "scalar gate";
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_gate");
    }

    @Override
    public void recur(GenericPass p) {
        LinearRecurrences.decay(p.dims(), 1.0, p.q(), p.key(), p.val(), p.perHead("w_gate", AttentionMath::sigmoid), p.state(), p.out());
    }
}

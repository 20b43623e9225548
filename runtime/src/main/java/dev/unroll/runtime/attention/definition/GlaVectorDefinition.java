package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;

/** Gated linear attention with one sigmoid gate per key channel: {@code S = diag(a) S + k v^T}. */
public final class GlaVectorDefinition extends ModeDefinition {
    @Override
    public AttentionMode mode() {
        return AttentionMode.GLA_VECTOR;
    }

    @Override
    public String referenceName() {
        return "GLAVector";
    }

    @Override
    public String update() {
        return "`S[i,:] = σ(W_g x)_i S[i,:] + k_i vᵀ`";
    }

    @Override
    public String notes() {
        return "per-key gate";
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_gate_vec", spec.keyWidth());
    }

    @Override
    public void recur(GenericPass p) {
        LinearRecurrences.decayVector(p.dims(), 1.0, p.q(), p.key(), p.val(),
                p.perHeadVector("w_gate_vec", p.spec().keyWidth(), AttentionMath::sigmoid), p.state(), p.out());
    }
}

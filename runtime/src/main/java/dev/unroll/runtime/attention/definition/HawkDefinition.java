package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;

/** Hawk (Griffin): an element-wise gated recurrence on a vector state, {@code s = a s + b v}. */
public final class HawkDefinition extends ModeDefinition {
    @Override
    public AttentionMode mode() {
        return AttentionMode.HAWK;
    }

    @Override
    public String referenceName() {
        return "Hawk";
    }

    @Override
    public String update() {
        return "`h = σ(W_α x) ⊙ h + σ(W_β x) ⊙ v`";
    }

    @Override
    public String notes() {
        return "vector state; output is h";
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_alpha", spec.valueWidth()).projection("w_beta", spec.valueWidth());
    }

    @Override
    public boolean usesKey() {
        return false;
    }

    @Override
    public boolean usesQuery() {
        return false;
    }

    @Override
    public boolean vectorState() {
        return true;
    }

    @Override
    public void recur(GenericPass p) {
        int v = p.spec().valueWidth();
        double[] a = p.perHeadVector("w_alpha", v, AttentionMath::sigmoid);
        double[] b = p.perHeadVector("w_beta", v, AttentionMath::sigmoid);
        LinearRecurrences.elementwise(p.tokens(), p.spec().heads() * v, a, b, p.val(), p.state(), p.out());
    }

    /** The readout is the state itself. */
    @Override
    public void query(GenericQuery c) {
        int v = c.spec().valueWidth();
        System.arraycopy(c.state(), c.head() * v, c.concat(), c.head() * v, v);
    }
}

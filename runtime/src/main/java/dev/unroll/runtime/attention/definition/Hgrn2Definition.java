package dev.unroll.runtime.attention.definition;

import static dev.unroll.runtime.internal.AttentionMath.sigmoid;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.Hgrn2Mode;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Parameter;
import java.util.List;

/** HGRN2: a per-key forget gate bounded below, {@code S = diag(lb + (1 - lb) sigmoid(.)) S + k v^T}. */
public final class Hgrn2Definition extends ModeDefinition {

    @Override
    public AttentionMode mode() {
        return AttentionMode.HGRN2;
    }

    @Override
    public String referenceName() {
        return "HGRN2";
    }

    @Override
    public String update() {
        return "`S[i,:] = (lb + (1−lb)σ(W x)_i) S[i,:] + k_i vᵀ`";
    }

    @Override
    public String notes() {
        return "no (1−α) on the input, as the code";
    }

    @Override
    public Class<?> keys() {
        return Hgrn2Mode.class;
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(Hgrn2Mode.LOWER_BOUND);
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_hgrn2_gate", spec.keyWidth());
    }

    @Override
    public boolean tanhOutput() {
        return true;
    }

    @Override
    public void recur(GenericPass p) {
        double lb = p.spec().get(Hgrn2Mode.LOWER_BOUND);
        LinearRecurrences.decayVector(p.dims(), 1.0, p.q(), p.key(), p.val(),
                p.perHeadVector("w_hgrn2_gate", p.spec().keyWidth(), z -> lb + (1.0 - lb) * sigmoid(z)), p.state(), p.out());
    }
}

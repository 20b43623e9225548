package dev.unroll.runtime.attention.mode;

import static dev.unroll.runtime.internal.AttentionMath.sigmoid;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import java.util.List;

/** HGRN2: a per-key forget gate bounded below, {@code S = diag(lb + (1 - lb) sigmoid(.)) S + k v^T}. */
public final class Hgrn2Mode extends ModeDefinition {
    /** The forget gate's lower bound. */
    public static final ModeParameter<Double> LOWER_BOUND = ModeParameter.real("lowerBound", 0.9, "lower_bound",
            "the forget gate's lower bound, in [0, 1)");

    @Override
    public AttentionMode mode() {
        return AttentionMode.HGRN2;
    }

    @Override
    public String referenceName() {
        return "HGRN2";
    }

    @Override
    public List<ModeParameter<?>> parameters() {
        return List.of(LOWER_BOUND);
    }

    @Override
    public void check(ModeValues values, Findings out) {
        out.range(LOWER_BOUND.name(), values.get(LOWER_BOUND), v -> v >= 0 && v < 1, "[0, 1)",
                ": a forget gate of 1 or more makes the state grow without bound");
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
        double lb = p.spec().get(LOWER_BOUND);
        LinearRecurrences.decayVector(p.dims(), 1.0, p.q(), p.key(), p.val(),
                p.perHeadVector("w_hgrn2_gate", p.spec().keyWidth(), z -> lb + (1.0 - lb) * sigmoid(z)), p.state(), p.out());
    }
}

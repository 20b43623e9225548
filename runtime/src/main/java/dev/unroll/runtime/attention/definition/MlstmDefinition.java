package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;

/** xLSTM's matrix memory as the reference computes it: {@code S = f S + k (i v)^T}, sigmoid gates. */
public final class MlstmDefinition extends ModeDefinition {
    @Override
    public AttentionMode mode() {
        return AttentionMode.MLSTM;
    }

    @Override
    public String referenceName() {
        return "MLSTM";
    }

    @Override
    public String update() {
        return "`S = σ(w_f·x) S + k (σ(w_i·x) v)ᵀ`";
    }

    @Override
    public String notes() {
        return "as the reference: sigmoid gates, no normaliser (the canonical xLSTM mLSTM is in the ops API)";
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_gate").projection("w_gate2");
    }

    @Override
    public void recur(GenericPass p) {
        int h = p.spec().heads();
        int v = p.spec().valueWidth();
        double[] f = p.perHead("w_gate", AttentionMath::sigmoid);
        double[] in = p.perHead("w_gate2", AttentionMath::sigmoid);
        double[] val = p.val();
        for (int th = 0; th < p.tokens() * h; th++) {
            for (int j = 0; j < v; j++) {
                val[th * v + j] = in[th] * val[th * v + j];
            }
        }
        LinearRecurrences.decay(p.dims(), 1.0, p.q(), p.key(), val, f, p.state(), p.out());
    }
}

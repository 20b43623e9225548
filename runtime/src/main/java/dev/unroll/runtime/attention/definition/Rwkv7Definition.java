package dev.unroll.runtime.attention.definition;

import static dev.unroll.runtime.internal.AttentionMath.sigmoid;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;

/**
 * RWKV-7: a per-key decay {@code exp(-c sigmoid(.))} in (0.6, 1) plus a diagonal-plus-low-rank delta
 * update with an in-context learning rate, a removal key and a replacement key.
 */
public final class Rwkv7Definition extends ModeDefinition {
    /** The decay scale {@code c = -ln 0.6}, computed at run time as the reference does. */
    private static final double DECAY_SCALE = -Math.log(0.6);

    @Override
    public AttentionMode mode() {
        return AttentionMode.RWKV7;
    }

    @Override
    public String referenceName() {
        return "RWKV7";
    }

    @Override
    public String update() {
        return "`S = diag(w)S`; `S += (−a⊙κ̂)(Sᵀκ̂)ᵀ`; `S += k̃ vᵀ`";
    }

    @Override
    public String notes() {
        return "w ∈ (0.6, 1)";
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        int k = spec.keyWidth();
        out.projection("w_decay_vec", k).projection("w_iclr", k).elementwise("w_xi", k).elementwise("w_alpha_rk", k);
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
        AttentionSpec spec = p.spec();
        int tokens = p.tokens();
        int h = spec.heads();
        int k = spec.keyWidth();
        double[] key = p.key();
        double[] decay = p.perHeadVector("w_decay_vec", k, z -> Math.exp(-DECAY_SCALE * sigmoid(z)));
        double[] iclr = p.perHeadVector("w_iclr", k, AttentionMath::sigmoid);
        double[] removal = new double[tokens * h * k];
        double[] write = new double[tokens * h * k];
        double[] replace = new double[tokens * h * k];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                double[] xi = p.head(hh, "w_xi");
                double[] alphaRk = p.head(hh, "w_alpha_rk");
                int off = (t * h + hh) * k;
                for (int i = 0; i < k; i++) {
                    removal[off + i] = key[off + i] * xi[i];
                }
                double[] kappa = DeltaProductDefinition.slice(removal, off, k);
                LinearRecurrences.l2normalise(kappa, 1, k);
                System.arraycopy(kappa, 0, removal, off, k);
                for (int i = 0; i < k; i++) {
                    double a = iclr[off + i];
                    replace[off + i] = key[off + i] * (1.0 + alphaRk[i] * (a - 1.0));
                    write[off + i] = -(a * removal[off + i]);
                }
            }
        }
        LinearRecurrences.dplr(p.dims(), 1.0, p.q(), replace, p.val(), decay, removal, write, p.state(), p.out());
    }
}

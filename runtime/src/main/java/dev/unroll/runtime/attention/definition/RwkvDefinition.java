package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.RwkvMode;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Parameter;
import java.util.List;

/** RWKV: {@code S = d S + exp(k) v^T} with an input-dependent decay {@code d}. */
public final class RwkvDefinition extends ModeDefinition {

    @Override
    public AttentionMode mode() {
        return AttentionMode.RWKV;
    }

    @Override
    public String referenceName() {
        return "RWKV";
    }

    @Override
    public String update() {
        return "`S = dS + exp(k) vᵀ`, `d = exp(−(d₀ + softplus(w·x)))` (with the reference's round trip)";
    }

    @Override
    public Class<?> keys() {
        return RwkvMode.class;
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(RwkvMode.INITIAL_DECAY);
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_decay");
    }

    /**
     * The reference's decay from a gate logit.
     *
     * @param initialDecay the base rate
     * @param z {@code w_decay . x}
     * @return {@code exp(-w)} with {@code w = -ln(exp(-(initialDecay + softplus(z))))}, 50 when the gate underflows
     */
    public static double decay(double initialDecay, double z) {
        double r = initialDecay + AttentionMath.softplus(z);
        double gate = Math.exp(-r);
        double wexp = gate > 1e-30 ? -Math.log(gate) : 50.0;
        return Math.exp(-wexp);
    }

    @Override
    public void recur(GenericPass p) {
        double base = p.spec().get(RwkvMode.INITIAL_DECAY);
        double[] a = p.perHead("w_decay", z -> decay(base, z));
        double[] key = p.key();
        for (int i = 0; i < key.length; i++) {
            key[i] = Math.exp(key[i]);
        }
        LinearRecurrences.decay(p.dims(), 1.0, p.q(), key, p.val(), a, p.state(), p.out());
    }
}

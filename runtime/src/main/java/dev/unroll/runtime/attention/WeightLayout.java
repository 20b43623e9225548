package dev.unroll.runtime.attention;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The weight tensors of a linear-attention layer in the reference's draw order: for each head,
 * {@code w_key [K][D]}, {@code w_value [V][D]}, {@code w_query [K][D]}, then the mode's own
 * tensors; after all heads {@code w_out [D][H*V]}. Seeded initialisation draws
 * {@code 0.01 * N(0,1)} for every element in exactly this order from one xorshift64 stream.
 */
public final class WeightLayout {
    private WeightLayout() {}

    /**
     * @param spec the layer
     * @return its tensors in draw order
     */
    public static List<WeightTensor> of(AttentionSpec spec) {
        int d = spec.width();
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        List<WeightTensor> out = new ArrayList<>();
        for (int h = 0; h < spec.heads(); h++) {
            add(out, h, "w_key", k, d);
            add(out, h, "w_value", v, d);
            add(out, h, "w_query", k, d);
            AttentionMode m = spec.mode();
            if (m == AttentionMode.GLA || m == AttentionMode.GATED_DELTA_NET || m == AttentionMode.MLSTM
                    || m == AttentionMode.DELTA_PRODUCT) {
                add(out, h, "w_gate", d);
            }
            if (m == AttentionMode.MLSTM) {
                add(out, h, "w_gate2", d);
            }
            if (m == AttentionMode.RWKV) {
                add(out, h, "w_decay", d);
            }
            if (m == AttentionMode.HAWK) {
                add(out, h, "w_alpha", v, d);
                add(out, h, "w_beta", v, d);
            }
            if (m == AttentionMode.DELTA_PRODUCT) {
                int n = spec.compositions();
                add(out, h, "w_comp_keys", n, k, d);
                add(out, h, "w_comp_values", n, v, d);
                add(out, h, "w_comp_betas", n, d);
            }
            if (m == AttentionMode.RWKV7) {
                add(out, h, "w_decay_vec", k, d);
                add(out, h, "w_iclr", k, d);
                add(out, h, "w_xi", k);
                add(out, h, "w_alpha_rk", k);
            }
            if (m == AttentionMode.HGRN2) {
                add(out, h, "w_hgrn2_gate", k, d);
            }
            if (m == AttentionMode.GLA_VECTOR) {
                add(out, h, "w_gate_vec", k, d);
            }
            if (m == AttentionMode.GATED_DELTA_NET && spec.betaMode() == BetaMode.PER_TOKEN) {
                add(out, h, "w_beta_scalar", d);
            }
            if (m == AttentionMode.LOG_LINEAR) {
                add(out, h, "w_lambda", spec.maxLevels(), d);
            }
        }
        out.add(new WeightTensor("w_out", "w_out", -1, new int[] {d, spec.concatWidth()}));
        return Collections.unmodifiableList(out);
    }

    private static void add(List<WeightTensor> out, int h, String field, int... shape) {
        out.add(new WeightTensor("heads." + h + "." + field, field, h, shape));
    }

    /**
     * @param spec the layer
     * @return the per-head field names of one head, in draw order
     */
    public static List<String> headFields(AttentionSpec spec) {
        List<String> fields = new ArrayList<>();
        for (WeightTensor t : of(spec)) {
            if (t.head() == 0) {
                fields.add(t.field());
            }
        }
        return fields;
    }

    /**
     * @param spec the layer
     * @return total parameter count
     */
    public static long parameterCount(AttentionSpec spec) {
        long n = 0;
        for (WeightTensor t : of(spec)) {
            n += t.size();
        }
        return n;
    }
}

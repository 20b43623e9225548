package dev.unroll.runtime.attention;

import dev.unroll.runtime.attention.definition.HeadTensors;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The weight tensors of a linear-attention layer in the reference's draw order: for each head,
 * {@code w_key [K][D]}, {@code w_value [V][D]}, {@code w_query [K][D]}, then the mode's own
 * tensors ({@link ModeDefinition#headTensors}); after all heads {@code w_out [D][H*V]}. Seeded
 * initialisation draws {@code 0.01 * N(0,1)} for every element in exactly this order from one
 * xorshift64 stream.
 */
public final class WeightLayout {
    private WeightLayout() {}

    /**
     * @param spec the layer
     * @return its tensors in draw order
     */
    public static List<WeightTensor> of(AttentionSpec spec) {
        dev.unroll.runtime.internal.Checks.notNull("WeightLayout.of: spec", spec);
        int d = spec.width();
        List<HeadTensors.Entry> own = modeTensors(spec);
        List<WeightTensor> out = new ArrayList<>();
        for (int h = 0; h < spec.heads(); h++) {
            add(out, h, "w_key", spec.keyWidth(), d);
            add(out, h, "w_value", spec.valueWidth(), d);
            add(out, h, "w_query", spec.keyWidth(), d);
            for (HeadTensors.Entry e : own) {
                add(out, h, e.field(), e.shape(d));
            }
        }
        out.add(new WeightTensor("w_out", "w_out", -1, new int[] {d, spec.concatWidth()}));
        return Collections.unmodifiableList(out);
    }

    /**
     * @param spec the layer
     * @return the mode's own per-head tensors (after key, value, query), in draw order
     */
    static List<HeadTensors.Entry> modeTensors(AttentionSpec spec) {
        return HeadTensors.declared(spec);
    }

    private static void add(List<WeightTensor> out, int h, String field, int... shape) {
        out.add(new WeightTensor("heads." + h + "." + field, field, h, shape));
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

package dev.unroll.runtime.attention.definition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The per-head weight tensors a mode adds after {@code w_key}, {@code w_value} and {@code w_query},
 * in the reference's draw order. A projection is applied to the token ({@code [..][D]}, so its rows
 * join the fused input projection of generated kernels); an element-wise vector is not.
 */
public final class HeadTensors {
    /**
     * One declared tensor.
     *
     * @param field per-head field name, e.g. {@code w_gate}
     * @param leading the dimensions before the model width (empty: one row) for a projection, or the
     *     length of an element-wise vector
     * @param projection whether it multiplies the token
     */
    public record Entry(String field, List<Integer> leading, boolean projection) {
        /**
         * @param field per-head field name
         * @param leading leading dimensions (copied)
         * @param projection whether it multiplies the token
         */
        public Entry {
            leading = List.copyOf(leading);
        }

        /** @return rows of a projection (the product of the leading dimensions), or the vector's length */
        public int rows() {
            int n = 1;
            for (int x : leading) {
                n *= x;
            }
            return n;
        }

        /**
         * @param width the model width D
         * @return the canonical shape
         */
        public int[] shape(int width) {
            int[] s = new int[leading.size() + (projection ? 1 : 0)];
            for (int i = 0; i < leading.size(); i++) {
                s[i] = leading.get(i);
            }
            if (projection) {
                s[s.length - 1] = width;
            }
            return s;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    HeadTensors() {}

    /**
     * A projection of the token: shape {@code leading + [D]}.
     *
     * @param field per-head field name
     * @param leading dimensions before D (none: a single row of D)
     * @return this
     */
    public HeadTensors projection(String field, int... leading) {
        List<Integer> l = new ArrayList<>();
        for (int x : leading) {
            l.add(x);
        }
        entries.add(new Entry(field, l, true));
        return this;
    }

    /**
     * An element-wise vector of {@code length}.
     *
     * @param field per-head field name
     * @param length its length
     * @return this
     */
    public HeadTensors elementwise(String field, int length) {
        entries.add(new Entry(field, List.of(length), false));
        return this;
    }

    /**
     * @param spec a layer
     * @return the tensors its mode declares, in draw order
     */
    public static List<Entry> declared(dev.unroll.runtime.attention.AttentionSpec spec) {
        HeadTensors t = new HeadTensors();
        Modes.of(spec.mode()).headTensors(spec, t);
        return Collections.unmodifiableList(t.entries);
    }
}

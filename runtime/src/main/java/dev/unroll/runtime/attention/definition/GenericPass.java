package dev.unroll.runtime.attention.definition;

import static dev.unroll.runtime.internal.AttentionMath.dot4;
import static dev.unroll.runtime.internal.AttentionMath.matvec;

import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.ops.Dims;
import java.util.function.DoubleUnaryOperator;

/**
 * One call of the generic engine on a sequence, as a mode sees it: the tokens' key, value and query
 * projections (computed in the reference's order), the stream's state and the buffer of head outputs
 * {@code out [tokens][H][V]} the mode's recurrence writes. Arrays are the engine's working buffers:
 * modes read and update them in place.
 */
public final class GenericPass {
    /** A layer's per-head weights, shared (not copied) with the engine. */
    @FunctionalInterface
    public interface HeadWeights {
        /**
         * @param head a head
         * @param field a per-head field
         * @return its weights (the engine's array; read only)
         */
        double[] head(int head, String field);
    }

    private final AttentionSpec spec;
    private final HeadWeights w;
    private final double[] xs;
    private final int tokens;
    private final int d;
    private final int h;
    private final int k;
    private final int v;
    private final double[] q;
    private final double[] key;
    private final double[] val;
    private final double[] state;
    private final long[] meta;
    private final double[] out;

    /**
     * Projects every token (keys, values, queries of every head).
     *
     * @param spec the layer
     * @param weights its per-head weights
     * @param xs inputs {@code [tokens][D]}
     * @param tokens sequence length
     * @param state the stream's f64 state, updated by the mode
     * @param meta the stream's meta data {@code {tokens, level mask}}
     */
    public GenericPass(AttentionSpec spec, HeadWeights weights, double[] xs, int tokens, double[] state, long[] meta) {
        AttentionSpec s = spec;
        this.spec = spec;
        this.w = weights;
        this.xs = xs;
        this.tokens = tokens;
        this.d = s.width();
        this.h = s.heads();
        this.k = s.keyWidth();
        this.v = s.valueWidth();
        this.state = state;
        this.meta = meta;
        q = new double[tokens * h * k];
        key = new double[tokens * h * k];
        val = new double[tokens * h * v];
        out = new double[tokens * h * v];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                matvec(w.head(hh, "w_key"), xs, t * d, k, d, key, (t * h + hh) * k);
                matvec(w.head(hh, "w_value"), xs, t * d, v, d, val, (t * h + hh) * v);
                matvec(w.head(hh, "w_query"), xs, t * d, k, d, q, (t * h + hh) * k);
            }
        }
    }

    /** @return the layer's spec */
    public AttentionSpec spec() {
        return spec;
    }

    /** @return the recurrence's dimensions */
    Dims dims() {
        return new Dims(tokens, h, k, v);
    }

    /** @return tokens in this call */
    public int tokens() {
        return tokens;
    }

    /** @return the inputs {@code [tokens][D]} */
    public double[] xs() {
        return xs;
    }

    /** @return queries {@code [tokens][H][K]} */
    public double[] q() {
        return q;
    }

    /** @return keys {@code [tokens][H][K]} */
    public double[] key() {
        return key;
    }

    /** @return values {@code [tokens][H][V]} */
    public double[] val() {
        return val;
    }

    /** @return the stream's state */
    public double[] state() {
        return state;
    }

    /** @return the stream's meta data {@code {tokens, level mask}} */
    public long[] meta() {
        return meta;
    }

    /** @return head outputs {@code [tokens][H][V]}, written by the mode */
    public double[] out() {
        return out;
    }

    /**
     * @param head a head
     * @param field a per-head field
     * @return its weights
     */
    public double[] head(int head, String field) {
        return w.head(head, field);
    }

    /**
     * @param value a constant
     * @return one value per token and head, all {@code value}
     */
    public double[] filled(double value) {
        double[] a = new double[tokens * h];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /**
     * One scalar per token and head: {@code f(w_field . x)}.
     *
     * @param field a one-row projection
     * @param f applied to each dot product
     * @return {@code [tokens][H]}
     */
    public double[] perHead(String field, DoubleUnaryOperator f) {
        double[] o = new double[tokens * h];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                o[t * h + hh] = f.applyAsDouble(dot4(w.head(hh, field), 0, xs, t * d, d));
            }
        }
        return o;
    }

    /**
     * One vector per token and head: {@code f(W_field x)} element-wise.
     *
     * @param field a projection of {@code rows} rows
     * @param rows its rows
     * @param f applied element-wise
     * @return {@code [tokens][H][rows]}
     */
    public double[] perHeadVector(String field, int rows, DoubleUnaryOperator f) {
        double[] o = new double[tokens * h * rows];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                int off = (t * h + hh) * rows;
                matvec(w.head(hh, field), xs, t * d, rows, d, o, off);
                for (int r = 0; r < rows; r++) {
                    o[off + r] = f.applyAsDouble(o[off + r]);
                }
            }
        }
        return o;
    }
}

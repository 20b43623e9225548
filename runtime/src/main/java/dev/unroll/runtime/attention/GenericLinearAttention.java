package dev.unroll.runtime.attention;

import static dev.unroll.runtime.internal.AttentionMath.matvec;

import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.AbstractLinearAttention;
import dev.unroll.runtime.attention.definition.GenericPass;
import dev.unroll.runtime.attention.definition.GenericQuery;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;

/**
 * Runs any valid linear-attention configuration at run time, with no code generation: the
 * oracle of the property tests and the baseline of the benchmarks. It computes in f64 in the
 * reference's order of operations (4-lane dot products, sequential reductions), projecting all
 * tokens of a call and then running the mode's recurrence ({@link ModeDefinition#recur}).
 */
public final class GenericLinearAttention extends AbstractLinearAttention {
    private final AttentionWeights w;
    private final int d;
    private final int h;
    private final int k;
    private final int v;

    /** @param weights the layer's weights; the engine computes in f64 whatever their spec says */
    public GenericLinearAttention(AttentionWeights weights) {
        super(dev.unroll.runtime.internal.Checks.notNull("GenericLinearAttention: weights", weights).spec().withPrecision(Precision.F64));
        this.w = weights;
        AttentionSpec s = weights.spec();
        this.d = s.width();
        this.h = s.heads();
        this.k = s.keyWidth();
        this.v = s.valueWidth();
    }

    /**
     * @param spec a descriptor
     * @return the engine with seeded weights
     */
    public static GenericLinearAttention seeded(AttentionSpec spec) {
        return new GenericLinearAttention(AttentionWeights.seeded(spec));
    }

    @Override
    public String implementation() {
        return "generic engine (f64, run-time dims)";
    }

    /** @return the weights */
    public AttentionWeights weights() {
        return w;
    }

    @Override
    protected void stepF(AttentionState s, float[] x, float[] y) {
        double[] yd = new double[d];
        stepD(s, widen(x), yd);
        narrowInto(yd, y);
    }

    @Override
    protected void stepD(AttentionState s, double[] x, double[] y) {
        forwardD(s, x, 1, y);
    }

    @Override
    protected void forwardF(AttentionState s, float[] xs, int tokens, float[] ys) {
        double[] yd = new double[ys.length];
        forwardD(s, widen(xs), tokens, yd);
        narrowInto(yd, ys);
    }

    @Override
    protected void queryF(AttentionState s, float[] x, float[] y) {
        double[] yd = new double[d];
        queryD(s, widen(x), yd);
        narrowInto(yd, y);
    }

    @Override
    protected void forwardD(AttentionState s, double[] xs, int tokens, double[] ys) {
        GenericPass pass = new GenericPass(w.spec(), w::head, xs, tokens, s.f64(), s.meta());
        Modes.of(w.spec().mode()).recur(pass);
        s.meta()[0] += tokens;
        for (int t = 0; t < tokens; t++) {
            output(pass.out(), t * h * v, ys, t * d, w.spec().tanhOutput());
        }
    }

    @Override
    protected void queryD(AttentionState s, double[] x, double[] y) {
        ModeDefinition mode = Modes.of(w.spec().mode());
        double[] concat = new double[h * v];
        for (int hh = 0; hh < h; hh++) {
            double[] q = new double[k];
            if (mode.usesQuery()) {
                matvec(w.head(hh, "w_query"), x, 0, k, d, q, 0);
            }
            mode.query(new GenericQuery(w.spec(), w::head, x, hh, q, s.f64(), s.meta(), concat));
        }
        output(concat, 0, y, 0, mode.tanhQuery());
    }

    private void output(double[] concat, int cOff, double[] y, int yOff, boolean tanh) {
        matvec(w.raw("w_out"), concat, cOff, d, h * v, y, yOff);
        if (tanh) {
            for (int i = 0; i < d; i++) {
                y[yOff + i] = Math.tanh(y[yOff + i]);
            }
        }
    }
}

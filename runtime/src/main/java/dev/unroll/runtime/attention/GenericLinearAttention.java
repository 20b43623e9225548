package dev.unroll.runtime.attention;

import static dev.unroll.runtime.attention.AttentionMath.dot4;
import static dev.unroll.runtime.attention.AttentionMath.matvec;
import static dev.unroll.runtime.attention.AttentionMath.sigmoid;
import static dev.unroll.runtime.attention.AttentionMath.softplus;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.ops.Dims;
import dev.unroll.runtime.ops.LinearRecurrences;

/**
 * Runs any valid linear-attention configuration at run time, with no code generation: the
 * oracle of the property tests and the baseline of the benchmarks. It computes in f64 in the
 * reference's order of operations (4-lane dot products, sequential reductions), projecting all
 * tokens of a call and then running the mode's {@link LinearRecurrences} op.
 */
public final class GenericLinearAttention extends AbstractLinearAttention {
    /** RWKV-7's decay scale {@code c = -ln 0.6}, computed at run time as the reference does. */
    private static final double RWKV7_C = -Math.log(0.6);

    private final AttentionWeights w;
    private final int d;
    private final int h;
    private final int k;
    private final int v;

    /** @param weights the layer's weights; the engine computes in f64 whatever their spec says */
    public GenericLinearAttention(AttentionWeights weights) {
        super(weights.spec().withPrecision(Precision.F64));
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

    /** Per-token inputs of the recurrence, laid out as the ops expect. */
    private final class Projection {
        final int tokens;
        final double[] q;
        final double[] key;
        final double[] val;

        Projection(double[] xs, int tokens) {
            this.tokens = tokens;
            q = new double[tokens * h * k];
            key = new double[tokens * h * k];
            val = new double[tokens * h * v];
            for (int t = 0; t < tokens; t++) {
                for (int hh = 0; hh < h; hh++) {
                    matvec(w.head(hh, "w_key"), xs, t * d, k, d, key, (t * h + hh) * k);
                    matvec(w.head(hh, "w_value"), xs, t * d, v, d, val, (t * h + hh) * v);
                    matvec(w.head(hh, "w_query"), xs, t * d, k, d, q, (t * h + hh) * k);
                }
            }
        }

        /** One scalar per token and head: f(w_field . x). */
        double[] perHead(double[] xs, String field, java.util.function.DoubleUnaryOperator f) {
            double[] out = new double[tokens * h];
            for (int t = 0; t < tokens; t++) {
                for (int hh = 0; hh < h; hh++) {
                    out[t * h + hh] = f.applyAsDouble(dot4(w.head(hh, field), 0, xs, t * d, d));
                }
            }
            return out;
        }

        /** One vector of {@code rows} per token and head: f(W_field x) element-wise. */
        double[] perHeadVector(double[] xs, String field, int rows, java.util.function.DoubleUnaryOperator f) {
            double[] out = new double[tokens * h * rows];
            for (int t = 0; t < tokens; t++) {
                for (int hh = 0; hh < h; hh++) {
                    int off = (t * h + hh) * rows;
                    matvec(w.head(hh, field), xs, t * d, rows, d, out, off);
                    for (int r = 0; r < rows; r++) {
                        out[off + r] = f.applyAsDouble(out[off + r]);
                    }
                }
            }
            return out;
        }
    }

    @Override
    protected void forwardD(AttentionState s, double[] xs, int tokens, double[] ys) {
        AttentionSpec spec = w.spec();
        Projection p = new Projection(xs, tokens);
        double[] state = s.f64();
        double[] o = new double[tokens * h * v];
        Dims dims = new Dims(tokens, h, k, v);
        switch (spec.mode()) {
            case RETNET -> {
                double[] a = new double[tokens * h];
                java.util.Arrays.fill(a, spec.gamma());
                LinearRecurrences.decay(dims, 1.0, p.q, p.key, p.val, a, state, o);
            }
            case GLA -> LinearRecurrences.decay(dims, 1.0, p.q, p.key, p.val, p.perHead(xs, "w_gate", AttentionMath::sigmoid), state, o);
            case MLSTM -> {
                double[] f = p.perHead(xs, "w_gate", AttentionMath::sigmoid);
                double[] in = p.perHead(xs, "w_gate2", AttentionMath::sigmoid);
                for (int t = 0; t < tokens; t++) {
                    for (int hh = 0; hh < h; hh++) {
                        for (int j = 0; j < v; j++) {
                            p.val[(t * h + hh) * v + j] = in[t * h + hh] * p.val[(t * h + hh) * v + j];
                        }
                    }
                }
                LinearRecurrences.decay(dims, 1.0, p.q, p.key, p.val, f, state, o);
            }
            case RWKV -> {
                double[] a = p.perHead(xs, "w_decay", z -> rwkvDecay(spec.initialDecay(), z));
                for (int i = 0; i < p.key.length; i++) {
                    p.key[i] = Math.exp(p.key[i]);
                }
                LinearRecurrences.decay(dims, 1.0, p.q, p.key, p.val, a, state, o);
            }
            case GLA_VECTOR -> LinearRecurrences.decayVector(dims, 1.0, p.q, p.key, p.val,
                    p.perHeadVector(xs, "w_gate_vec", k, AttentionMath::sigmoid), state, o);
            case HGRN2 -> {
                double lb = spec.lowerBound();
                LinearRecurrences.decayVector(dims, 1.0, p.q, p.key, p.val,
                        p.perHeadVector(xs, "w_hgrn2_gate", k, z -> lb + (1.0 - lb) * sigmoid(z)), state, o);
            }
            case DELTA_NET -> {
                LinearRecurrences.l2normalise(p.key, tokens * h, k);
                LinearRecurrences.delta(dims, 1.0, p.q, p.key, p.val, null, null, state, o);
            }
            case GATED_DELTA_NET -> {
                double[] g = p.perHead(xs, "w_gate", AttentionMath::sigmoid);
                double[] beta;
                if (spec.betaMode() == BetaMode.PER_TOKEN) {
                    beta = p.perHead(xs, "w_beta_scalar", AttentionMath::sigmoid);
                } else {
                    beta = new double[tokens * h];
                    java.util.Arrays.fill(beta, spec.betaScale());
                }
                LinearRecurrences.l2normalise(p.key, tokens * h, k);
                LinearRecurrences.delta(dims, 1.0, p.q, p.key, p.val, g, beta, state, o);
            }
            case DELTA_PRODUCT -> deltaProduct(spec, p, xs, dims, state, o);
            case RWKV7 -> rwkv7(p, xs, dims, state, o);
            case HAWK -> {
                double[] a = p.perHeadVector(xs, "w_alpha", v, AttentionMath::sigmoid);
                double[] b = p.perHeadVector(xs, "w_beta", v, AttentionMath::sigmoid);
                LinearRecurrences.elementwise(tokens, h * v, a, b, p.val, state, o);
            }
            case LOG_LINEAR -> {
                if (spec.normalisedLeafKeys()) {
                    LinearRecurrences.l2normalise(p.key, tokens * h, k);
                }
                double[] lambda = lambdas(spec, xs, tokens);
                long[] mask = {s.meta()[1]};
                LinearRecurrences.logLinear(dims, spec.maxLevels(), 1.0, p.q, p.key, p.val, lambda, state, mask, o);
                s.meta()[1] = mask[0];
            }
            default -> throw new IllegalStateException(spec.mode().name());
        }
        s.meta()[0] += tokens;
        for (int t = 0; t < tokens; t++) {
            output(o, t * h * v, ys, t * d, spec.tanhOutput());
        }
    }

    static double rwkvDecay(double initialDecay, double z) {
        double r = initialDecay + softplus(z);
        double gate = Math.exp(-r);
        double wexp = gate > 1e-30 ? -Math.log(gate) : 50.0;
        return Math.exp(-wexp);
    }

    private void deltaProduct(AttentionSpec spec, Projection p, double[] xs, Dims dims, double[] state, double[] o) {
        int n = spec.compositions();
        int tokens = p.tokens;
        double[] g = p.perHead(xs, "w_gate", AttentionMath::sigmoid);
        double[] ks = new double[tokens * n * h * k];
        double[] vs = new double[tokens * n * h * v];
        double[] betas = new double[tokens * n * h];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                double[] ck = w.head(hh, "w_comp_keys");
                double[] cv = w.head(hh, "w_comp_values");
                double[] cb = w.head(hh, "w_comp_betas");
                for (int j = 0; j < n; j++) {
                    int row = (t * n + j) * h + hh;
                    double[] kj = new double[k];
                    matvec(slice(ck, j * k * d, k * d), xs, t * d, k, d, kj, 0);
                    LinearRecurrences.l2normalise(kj, 1, k);
                    System.arraycopy(kj, 0, ks, row * k, k);
                    matvec(slice(cv, j * v * d, v * d), xs, t * d, v, d, vs, row * v);
                    double sg = sigmoid(dot4(cb, j * d, xs, t * d, d));
                    betas[row] = spec.reflections() ? 2.0 * sg : sg;
                }
            }
        }
        LinearRecurrences.deltaProduct(dims, n, 1.0, p.q, ks, vs, g, betas, state, o);
    }

    private void rwkv7(Projection p, double[] xs, Dims dims, double[] state, double[] o) {
        int tokens = p.tokens;
        double[] decay = p.perHeadVector(xs, "w_decay_vec", k, z -> Math.exp(-RWKV7_C * sigmoid(z)));
        double[] iclr = p.perHeadVector(xs, "w_iclr", k, AttentionMath::sigmoid);
        double[] removal = new double[tokens * h * k];
        double[] write = new double[tokens * h * k];
        double[] replace = new double[tokens * h * k];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                double[] xi = w.head(hh, "w_xi");
                double[] alphaRk = w.head(hh, "w_alpha_rk");
                int off = (t * h + hh) * k;
                for (int i = 0; i < k; i++) {
                    removal[off + i] = p.key[off + i] * xi[i];
                }
                double[] kappa = slice(removal, off, k);
                LinearRecurrences.l2normalise(kappa, 1, k);
                System.arraycopy(kappa, 0, removal, off, k);
                for (int i = 0; i < k; i++) {
                    double a = iclr[off + i];
                    replace[off + i] = p.key[off + i] * (1.0 + alphaRk[i] * (a - 1.0));
                    write[off + i] = -(a * removal[off + i]);
                }
            }
        }
        LinearRecurrences.dplr(dims, 1.0, p.q, replace, p.val, decay, removal, write, state, o);
    }

    private double[] lambdas(AttentionSpec spec, double[] xs, int tokens) {
        int levels = spec.maxLevels();
        double[] lambda = new double[tokens * h * levels];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                levelWeights(spec, w.head(hh, "w_lambda"), xs, t * d, lambda, (t * h + hh) * levels);
            }
        }
        return lambda;
    }

    /** softplus-normalised level weights: r = W x + bias, s = softplus(r * (1/tau)), lambda = s / sum s. */
    private void levelWeights(AttentionSpec spec, double[] wl, double[] xs, int xOff, double[] out, int off) {
        int levels = spec.maxLevels();
        double invTau = 1.0 / 1.0;
        double sum = 0.0;
        for (int l = 0; l < levels; l++) {
            double r = dot4(wl, l * d, xs, xOff, d) + spec.lambdaInit();
            double sp = softplus(r * invTau);
            out[off + l] = sp;
            sum += sp;
        }
        for (int l = 0; l < levels; l++) {
            out[off + l] = out[off + l] / sum;
        }
    }

    @Override
    protected void queryD(AttentionState s, double[] x, double[] y) {
        AttentionSpec spec = w.spec();
        double[] state = s.f64();
        double[] concat = new double[h * v];
        double[] q = new double[k];
        for (int hh = 0; hh < h; hh++) {
            if (spec.mode() == AttentionMode.HAWK) {
                System.arraycopy(state, hh * v, concat, hh * v, v);
                continue;
            }
            matvec(w.head(hh, "w_query"), x, 0, k, d, q, 0);
            if (spec.mode() == AttentionMode.LOG_LINEAR) {
                int levels = spec.maxLevels();
                double[] lambda = new double[levels];
                levelWeights(spec, w.head(hh, "w_lambda"), x, 0, lambda, 0);
                long mask = s.meta()[1];
                int base = hh * levels * k * v;
                for (int l = 0; l < levels; l++) {
                    if ((mask & (1L << l)) == 0 || lambda[l] == 0.0) {
                        continue;
                    }
                    for (int j = 0; j < v; j++) {
                        double acc = 0.0;
                        for (int i = 0; i < k; i++) {
                            acc += state[base + l * k * v + i * v + j] * q[i];
                        }
                        concat[hh * v + j] += lambda[l] * acc;
                    }
                }
            } else {
                for (int j = 0; j < v; j++) {
                    double acc = 0.0;
                    for (int i = 0; i < k; i++) {
                        acc += state[hh * k * v + i * v + j] * q[i];
                    }
                    concat[hh * v + j] = acc;
                }
            }
        }
        output(concat, 0, y, 0, spec.mode() == AttentionMode.LOG_LINEAR);
    }

    private void output(double[] concat, int cOff, double[] y, int yOff, boolean tanh) {
        matvec(w.raw("w_out"), concat, cOff, d, h * v, y, yOff);
        if (tanh) {
            for (int i = 0; i < d; i++) {
                y[yOff + i] = Math.tanh(y[yOff + i]);
            }
        }
    }

    private static double[] slice(double[] a, int off, int len) {
        double[] s = new double[len];
        System.arraycopy(a, off, s, 0, len);
        return s;
    }
}

package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;

/**
 * flash-linear-attention's {@code GatedDeltaNet} layer ({@code fla/layers/gated_deltanet.py}) in F32, for
 * inference, per stream. For each token x (width {@code hidden_size}):
 *
 * <ol>
 *   <li>{@code q = q_proj x}, {@code k = k_proj x}, {@code v = v_proj x}, each through its causal depthwise
 *       convolution over the last {@code conv_size} projections ({@code q_conv1d} ...; plus bias) and SiLU,
 *       or through SiLU alone without short convolutions;
 *   <li>per q/k head: {@code q <- q / sqrt(|q|^2 + 1e-6) * head_dim^-1/2}, {@code k <- k / sqrt(|k|^2 + 1e-6)};
 *   <li>per value head h (reading q/k head {@code h / (num_v_heads / num_heads)}):
 *       {@code beta = sigmoid(b_proj x)} (times 2 with {@code allow_neg_eigval}),
 *       {@code decay = exp(-exp(A_log) softplus(a_proj x + dt_bias))}, then the gated delta rule
 *       {@code S <- decay S}, {@code S <- S + beta (v - S k) k^T}, {@code o = S q}, with S {@code [head_v_dim, head_dim]};
 *   <li>per value head: {@code o <- o / sqrt(mean(o^2) + norm_eps) * o_norm.weight}, times {@code silu(g_proj x)}
 *       with {@code use_gate};
 *   <li>{@code y = o_proj o}.
 * </ol>
 *
 * <p>{@link #step} takes one token, {@link #forward} a sequence (projections of all tokens first, then the
 * recurrence token by token, then the output projections); both do the same arithmetic per token in the same
 * order, so a sequence equals its tokens stepped one by one to the last bit. Sums are taken in double and
 * stored in float. Inputs must be finite; an output that overflows float is an error, and the state is then
 * left as it was. Thread-safe: immutable; each call's state is the caller's.
 */
public final class GatedDeltaNetLayer {
    /** The epsilon fla's kernels add to {@code |q|^2} and {@code |k|^2} before the square root. */
    public static final double QK_NORM_EPS = 1e-6;

    private final GatedDeltaNetWeights weights;
    private final GatedDeltaNetConfig c;
    private final float[] wq;
    private final float[] wk;
    private final float[] wv;
    private final float[] wa;
    private final float[] wb;
    private final float[] wg;
    private final float[] wo;
    private final float[] aLog;
    private final float[] dtBias;
    private final float[] norm;
    private final float[] convWq;
    private final float[] convWk;
    private final float[] convWv;
    private final float[] convBq;
    private final float[] convBk;
    private final float[] convBv;

    /** @param weights the layer's weights (with their configuration) */
    public GatedDeltaNetLayer(GatedDeltaNetWeights weights) {
        this.weights = Checks.notNull("GatedDeltaNetLayer: the weights", weights);
        c = weights.config();
        wq = weights.array("q_proj.weight");
        wk = weights.array("k_proj.weight");
        wv = weights.array("v_proj.weight");
        wa = weights.array("a_proj.weight");
        wb = weights.array("b_proj.weight");
        wg = weights.array("g_proj.weight");
        wo = weights.array("o_proj.weight");
        aLog = weights.array("A_log");
        dtBias = weights.array("dt_bias");
        norm = weights.array("o_norm.weight");
        convWq = weights.array("q_conv1d.weight");
        convWk = weights.array("k_conv1d.weight");
        convWv = weights.array("v_conv1d.weight");
        convBq = weights.array("q_conv1d.bias");
        convBk = weights.array("k_conv1d.bias");
        convBv = weights.array("v_conv1d.bias");
    }

    /** @return the configuration */
    public GatedDeltaNetConfig config() {
        return c;
    }

    /** @return the weights */
    public GatedDeltaNetWeights weights() {
        return weights;
    }

    /** @return a zero state for one stream */
    public GatedDeltaNetState newState() {
        return new GatedDeltaNetState(c);
    }

    /**
     * One token of one stream.
     *
     * @param state the stream's state, updated
     * @param x the token's input, {@code hidden_size} finite values
     * @param y receives the output, {@code hidden_size} values (may be {@code x})
     */
    public void step(GatedDeltaNetState state, float[] x, float[] y) {
        Checks.length("GatedDeltaNetLayer.step: x", x, c.hiddenSize());
        Checks.length("GatedDeltaNetLayer.step: y", y, c.hiddenSize());
        forward(state, x, 1, y);
    }

    /**
     * A sequence of one stream: rows of {@code xs} are tokens.
     *
     * @param state the stream's state, updated
     * @param xs {@code [T, hidden_size]}, finite
     * @return the outputs, {@code [T, hidden_size]}
     */
    public Tensor forward(GatedDeltaNetState state, Tensor xs) {
        Checks.notNull("GatedDeltaNetLayer.forward: the input", xs);
        if (xs.rank() != 2 || xs.dim(1) != c.hiddenSize()) {
            throw new dev.unroll.runtime.ShapeMismatchException("GatedDeltaNetLayer.forward: hidden_states", new long[] {-1, c.hiddenSize()},
                    java.util.Arrays.stream(xs.shape()).asLongStream().toArray());
        }
        int tokens = xs.dim(0);
        float[] ys = new float[Limits.arrayLength("GatedDeltaNetLayer.forward: the output", tokens, c.hiddenSize())];
        forward(state, xs.data(), tokens, ys);
        return Tensor.of(ys, tokens, c.hiddenSize());
    }

    /**
     * A sequence of one stream, flat.
     *
     * @param state the stream's state, updated
     * @param xs {@code tokens * hidden_size} finite values, token-major
     * @param tokens the tokens, at least 0
     * @param ys receives {@code tokens * hidden_size} outputs (may be {@code xs})
     */
    public void forward(GatedDeltaNetState state, float[] xs, int tokens, float[] ys) {
        Checks.notNull("GatedDeltaNetLayer: the state", state);
        if (!state.config().equals(c)) {
            throw new UnrollException("GatedDeltaNetLayer: the state is for another configuration (" + GatedDeltaNetWeights.describe(state.config())
                    + "), this layer is " + GatedDeltaNetWeights.describe(c));
        }
        if (tokens < 0) {
            throw new UnrollException("GatedDeltaNetLayer.forward: tokens = " + tokens + ": must be >= 0");
        }
        int d = c.hiddenSize();
        int n = Limits.arrayLength("GatedDeltaNetLayer.forward: tokens * hidden_size", tokens, d);
        Checks.length("GatedDeltaNetLayer.forward: xs", xs, n);
        Checks.length("GatedDeltaNetLayer.forward: ys", ys, n);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(xs[i])) {
                throw new UnrollException("GatedDeltaNetLayer: input token " + (i / d) + ", index " + (i % d) + " is " + xs[i] + ": inputs must be finite");
            }
        }
        int key = c.keyDim();
        int value = c.valueDim();
        int hv = c.numVHeads();
        Limits.checkBudget("GatedDeltaNetLayer.forward: the projections of " + tokens + " tokens",
                Limits.product("GatedDeltaNetLayer.forward: the projections", 4L * tokens, 2L * key + 3L * value + 2L * hv + d));
        float[] q = new float[tokens * key];
        float[] k = new float[tokens * key];
        float[] v = new float[tokens * value];
        float[] a = new float[tokens * hv];
        float[] b = new float[tokens * hv];
        float[] g = c.useGate() ? new float[tokens * value] : null;
        project(wq, key, xs, tokens, q);
        project(wk, key, xs, tokens, k);
        project(wv, value, xs, tokens, v);
        project(wa, hv, xs, tokens, a);
        project(wb, hv, xs, tokens, b);
        if (g != null) {
            project(wg, value, xs, tokens, g);
        }
        float[] rec = state.recurrent.clone();
        float[] cq = state.convQ == null ? null : state.convQ.clone();
        float[] ck = state.convK == null ? null : state.convK.clone();
        float[] cv = state.convV == null ? null : state.convV.clone();
        float[] o = new float[tokens * value];
        double[] qh = new double[c.headDim()];
        double[] kh = new double[c.headDim()];
        for (int t = 0; t < tokens; t++) {
            shortConv(cq, convWq, convBq, q, t * key, key);
            shortConv(ck, convWk, convBk, k, t * key, key);
            shortConv(cv, convWv, convBv, v, t * value, value);
            heads(rec, q, k, v, a, b, t, o, qh, kh);
            outputNorm(o, g, t * value);
        }
        float[] y = new float[n];
        project(wo, d, o, tokens, y, value);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(y[i])) {
                throw new UnrollException("GatedDeltaNetLayer: output token " + (i / d) + ", index " + (i % d) + " overflowed to " + y[i]
                        + "; the state is unchanged");
            }
        }
        for (int i = 0; i < rec.length; i++) {
            if (!Float.isFinite(rec[i])) {
                throw new UnrollException("GatedDeltaNetLayer: the recurrent state overflowed to " + rec[i] + " at flat index " + i
                        + "; the state is unchanged");
            }
        }
        System.arraycopy(y, 0, ys, 0, n);
        state.commit(rec, cq, ck, cv, tokens);
    }

    /** out[t][r] = W[r] . x[t] for every token, summed in double; a weight row stays in cache across the tokens. */
    private void project(float[] w, int rows, float[] x, int tokens, float[] out) {
        project(w, rows, x, tokens, out, c.hiddenSize());
    }

    private static void project(float[] w, int rows, float[] x, int tokens, float[] out, int in) {
        for (int r = 0; r < rows; r++) {
            int w0 = r * in;
            for (int t = 0; t < tokens; t++) {
                int x0 = t * in;
                double acc = 0;
                for (int i = 0; i < in; i++) {
                    acc += (double) w[w0 + i] * x[x0 + i];
                }
                out[t * rows + r] = (float) acc;
            }
        }
    }

    /**
     * One token of a ShortConvolution over {@code channels} values at {@code x[off..]}, in place: the window
     * shifts left, takes the new value last, and the output is SiLU of its dot product with the kernel (plus
     * bias). Without short convolutions (a null window) SiLU alone.
     */
    private void shortConv(float[] window, float[] kernel, float[] bias, float[] x, int off, int channels) {
        int w = c.convSize();
        for (int ch = 0; ch < channels; ch++) {
            double pre;
            if (window == null) {
                pre = x[off + ch];
            } else {
                int w0 = ch * w;
                System.arraycopy(window, w0 + 1, window, w0, w - 1);
                window[w0 + w - 1] = x[off + ch];
                pre = bias == null ? 0 : bias[ch];
                for (int j = 0; j < w; j++) {
                    pre += (double) window[w0 + j] * kernel[w0 + j];
                }
            }
            x[off + ch] = (float) silu(pre);
        }
    }

    /** The gated delta rule of every value head for token t, into {@code o}. */
    private void heads(float[] rec, float[] q, float[] k, float[] v, float[] a, float[] b, int t, float[] o, double[] qh, double[] kh) {
        int kd = c.headDim();
        int vd = c.headVDim();
        int hv = c.numVHeads();
        int group = hv / c.numHeads();
        int lastQk = -1;
        for (int h = 0; h < hv; h++) {
            int qk = h / group;
            if (qk != lastQk) { // value heads of a group share their q/k head: normalise it once
                normalise(q, t * c.keyDim() + qk * kd, qh, c.scale());
                normalise(k, t * c.keyDim() + qk * kd, kh, 1);
                lastQk = qk;
            }
            double beta = sigmoid(b[t * hv + h]) * (c.allowNegEigval() ? 2 : 1);
            double decay = Math.exp(-Math.exp(aLog[h]) * softplus((double) a[t * hv + h] + dtBias[h]));
            int s0 = h * vd * kd;
            int v0 = t * c.valueDim() + h * vd;
            for (int j = 0; j < vd; j++) {
                int row = s0 + j * kd;
                double sk = 0;
                for (int i = 0; i < kd; i++) {
                    sk += decay * rec[row + i] * kh[i];
                }
                double u = beta * (v[v0 + j] - sk);
                double out = 0;
                for (int i = 0; i < kd; i++) {
                    double s = decay * rec[row + i] + u * kh[i];
                    rec[row + i] = (float) s;
                    out += s * qh[i];
                }
                o[v0 + j] = (float) out;
            }
        }
    }

    private static void normalise(float[] x, int off, double[] into, double scale) {
        double ss = 0;
        for (int i = 0; i < into.length; i++) {
            ss += (double) x[off + i] * x[off + i];
        }
        double inv = scale / Math.sqrt(ss + QK_NORM_EPS);
        for (int i = 0; i < into.length; i++) {
            into[i] = x[off + i] * inv;
        }
    }

    /** RMSNorm per value head of token t's {@code o} (in place), gated by silu(g) with use_gate. */
    private void outputNorm(float[] o, float[] g, int off) {
        int vd = c.headVDim();
        for (int h = 0; h < c.numVHeads(); h++) {
            int h0 = off + h * vd;
            double ss = 0;
            for (int j = 0; j < vd; j++) {
                ss += (double) o[h0 + j] * o[h0 + j];
            }
            double rstd = 1 / Math.sqrt(ss / vd + c.normEps());
            for (int j = 0; j < vd; j++) {
                double r = o[h0 + j] * rstd * norm[j];
                if (g != null) {
                    r *= silu(g[h0 + j]);
                }
                o[h0 + j] = (float) r;
            }
        }
    }

    private static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** {@code log(1 + e^x)}, and x itself above 20, as fla's kernels and torch compute it. */
    private static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    @Override
    public String toString() {
        return "GatedDeltaNetLayer(" + GatedDeltaNetWeights.describe(c) + ")";
    }
}

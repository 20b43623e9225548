package dev.unroll.runtime.internal.ops;

/**
 * The recurrences behind every linear-attention mode, as documented static ops on inputs that are
 * already projected: the layer kernels compute q, k, v, gates and betas and call (the
 * shape-specialised twin of) one of these.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Layout: per-token inputs are {@code [T][H][*]} row-major (flash-linear-attention's
 *       {@code [B,T,H,*]} without the batch; call once per sequence). Matrix states are
 *       {@code [H][K][V]} (row = key channel, column = value channel).
 *   <li>Gates are <b>linear-space decay multipliers</b> in (0, 1] (a gate {@code a} multiplies the
 *       state), not flash-linear-attention's log-space {@code g}: pass {@code Math.exp(g)}. This
 *       keeps the layers bit-exact with the reference, which never goes through log space.
 *   <li>Readout is post-update: {@code o_t = S_t^T (scale * q_t)}, so a token sees its own
 *       contribution. {@code scale} is explicit (the reference layers use 1; fla defaults to
 *       {@code K^-1/2}).
 *   <li>The state array is read as the initial state and overwritten with the final state
 *       (pass zeros for none).
 *   <li>Optional per-token inputs (gates, betas, input gates) are null when absent, the same in
 *       every op: a null gate is 1.
 *   <li>Keys are used as given: normalise them first where the mode needs it
 *       ({@link #l2normalise}).
 *   <li>Arithmetic is f64 with sequential sums, matching the reference's order.
 * </ul>
 */
public final class LinearRecurrences {
    private LinearRecurrences() {}

    // ------------------------------------------------------------------ scalar decay

    /**
     * Scalar-decay linear attention (RetNet, GLA, mLSTM as the reference computes it, RWKV):
     * {@code S_t = a_t S_{t-1} + k_t v_t^T}, {@code o_t = S_t^T (scale q_t)}.
     *
     * @param d sizes
     * @param scale query scale
     * @param q queries {@code [T][H][K]}
     * @param k keys {@code [T][H][K]}
     * @param v values {@code [T][H][V]}
     * @param a decay multipliers {@code [T][H]}, or null for none
     * @param state {@code [H][K][V]}, in: initial, out: final
     * @param o outputs {@code [T][H][V]}
     */
    public static void decay(Dims d, double scale, double[] q, double[] k, double[] v, double[] a, double[] state, double[] o) {
        int hN = d.heads();
        int kN = d.keyWidth();
        int vN = d.valueWidth();
        checkQkv(d, q, k, v, o);
        if (a != null) {
            d.check("a", a, hN);
        }
        d.checkState("state", state, d.stateSize());
        for (int t = 0; t < d.tokens(); t++) {
            for (int h = 0; h < hN; h++) {
                int s0 = h * kN * vN;
                int kq = (t * hN + h) * kN;
                int vo = (t * hN + h) * vN;
                double g = a == null ? 1 : a[t * hN + h];
                for (int i = 0; i < kN; i++) {
                    double ki = k[kq + i];
                    int row = s0 + i * vN;
                    for (int j = 0; j < vN; j++) {
                        state[row + j] = g * state[row + j] + ki * v[vo + j];
                    }
                }
                readout(state, s0, kN, vN, q, kq, scale, o, vo);
            }
        }
    }

    // ------------------------------------------------------------------ vector decay

    /**
     * Per-key-channel decay (GLA with a vector gate, HGRN2):
     * {@code S_t[i,:] = alpha_t[i] S_{t-1}[i,:] + k_t[i] v_t}, {@code o_t = S_t^T (scale q_t)}.
     *
     * @param d sizes
     * @param scale query scale
     * @param q queries {@code [T][H][K]}
     * @param k keys {@code [T][H][K]}
     * @param v values {@code [T][H][V]}
     * @param alpha decay multipliers {@code [T][H][K]}, or null for none
     * @param state {@code [H][K][V]}, in/out
     * @param o outputs {@code [T][H][V]}
     */
    public static void decayVector(Dims d, double scale, double[] q, double[] k, double[] v, double[] alpha, double[] state, double[] o) {
        int hN = d.heads();
        int kN = d.keyWidth();
        int vN = d.valueWidth();
        checkQkv(d, q, k, v, o);
        if (alpha != null) {
            d.check("alpha", alpha, (long) hN * kN);
        }
        d.checkState("state", state, d.stateSize());
        for (int t = 0; t < d.tokens(); t++) {
            for (int h = 0; h < hN; h++) {
                int s0 = h * kN * vN;
                int kq = (t * hN + h) * kN;
                int vo = (t * hN + h) * vN;
                for (int i = 0; i < kN; i++) {
                    double g = alpha == null ? 1 : alpha[kq + i];
                    double ki = k[kq + i];
                    int row = s0 + i * vN;
                    for (int j = 0; j < vN; j++) {
                        state[row + j] = g * state[row + j] + ki * v[vo + j];
                    }
                }
                readout(state, s0, kN, vN, q, kq, scale, o, vo);
            }
        }
    }

    // ------------------------------------------------------------------ delta rule

    /**
     * The gated delta rule (DeltaNet with {@code a = beta = 1}, Gated DeltaNet):
     * {@code S' = a_t S_{t-1}}, {@code e = beta_t (v_t - S'^T k_t)}, {@code S_t = S' + k_t e^T},
     * {@code o_t = S_t^T (scale q_t)}. Normalise k first for the usual behaviour.
     *
     * @param d sizes
     * @param scale query scale
     * @param q queries {@code [T][H][K]}
     * @param k keys {@code [T][H][K]}
     * @param v values {@code [T][H][V]}
     * @param a decay multipliers {@code [T][H]}, or null for none
     * @param beta step sizes {@code [T][H]}, or null for 1
     * @param state {@code [H][K][V]}, in/out
     * @param o outputs {@code [T][H][V]}
     */
    public static void delta(Dims d, double scale, double[] q, double[] k, double[] v, double[] a, double[] beta, double[] state, double[] o) {
        int hN = d.heads();
        int kN = d.keyWidth();
        int vN = d.valueWidth();
        checkQkv(d, q, k, v, o);
        if (a != null) {
            d.check("a", a, hN);
        }
        if (beta != null) {
            d.check("beta", beta, hN);
        }
        d.checkState("state", state, d.stateSize());
        double[] e = new double[vN];
        for (int t = 0; t < d.tokens(); t++) {
            for (int h = 0; h < hN; h++) {
                int s0 = h * kN * vN;
                int kq = (t * hN + h) * kN;
                int vo = (t * hN + h) * vN;
                if (a != null) {
                    scale(state, s0, kN * vN, a[t * hN + h]);
                }
                deltaStep(state, s0, kN, vN, k, kq, v, vo, beta == null ? 1.0 : beta[t * hN + h], e);
                readout(state, s0, kN, vN, q, kq, scale, o, vo);
            }
        }
    }

    /**
     * DeltaProduct: per token {@code S = a_t S}, then for each of n Householder steps j
     * {@code S += k_tj (beta_tj (v_tj - S^T k_tj))^T}, then {@code o_t = S^T (scale q_t)}.
     *
     * @param d sizes
     * @param n steps per token
     * @param scale query scale
     * @param q queries {@code [T][H][K]}
     * @param k step keys {@code [T][n][H][K]} (fla's row {@code t*n+j})
     * @param v step values {@code [T][n][H][V]}
     * @param a decay multipliers {@code [T][H]}, or null
     * @param beta step sizes {@code [T][n][H]}
     * @param state {@code [H][K][V]}, in/out
     * @param o outputs {@code [T][H][V]}
     */
    public static void deltaProduct(Dims d, int n, double scale, double[] q, double[] k, double[] v, double[] a, double[] beta,
            double[] state, double[] o) {
        int hN = d.heads();
        int kN = d.keyWidth();
        int vN = d.valueWidth();
        d.check("q", q, (long) hN * kN);
        d.check("k", k, (long) n * hN * kN);
        d.check("v", v, (long) n * hN * vN);
        d.check("beta", beta, (long) n * hN);
        d.check("o", o, (long) hN * vN);
        if (a != null) {
            d.check("a", a, hN);
        }
        d.checkState("state", state, d.stateSize());
        double[] e = new double[vN];
        for (int t = 0; t < d.tokens(); t++) {
            for (int h = 0; h < hN; h++) {
                int s0 = h * kN * vN;
                if (a != null) {
                    scale(state, s0, kN * vN, a[t * hN + h]);
                }
                for (int j = 0; j < n; j++) {
                    int row = (t * n + j) * hN + h;
                    deltaStep(state, s0, kN, vN, k, row * kN, v, row * vN, beta[row], e);
                }
                readout(state, s0, kN, vN, q, (t * hN + h) * kN, scale, o, (t * hN + h) * vN);
            }
        }
    }

    // ------------------------------------------------------------------ DPLR (RWKV-7)

    /**
     * Diagonal-plus-low-rank recurrence in RWKV-7's order as the reference computes it:
     * {@code S' = diag(w_t) S_{t-1}}, {@code p = S'^T r_t}, {@code S_t = S' + b_t p^T + k_t v_t^T},
     * {@code o_t = S_t^T (scale q_t)}. For RWKV-7, {@code r} is the normalised removal key and
     * {@code b = -(iclr * r)}. (flash-linear-attention's DPLR applies the low-rank term to the
     * undecayed state and stores RWKV-7's state transposed.)
     *
     * @param d sizes
     * @param scale query scale
     * @param q queries {@code [T][H][K]}
     * @param k replacement keys {@code [T][H][K]}
     * @param v values {@code [T][H][V]}
     * @param w per-key decay multipliers {@code [T][H][K]}
     * @param r removal keys {@code [T][H][K]}
     * @param b low-rank write vectors {@code [T][H][K]}
     * @param state {@code [H][K][V]}, in/out
     * @param o outputs {@code [T][H][V]}
     */
    public static void dplr(Dims d, double scale, double[] q, double[] k, double[] v, double[] w, double[] r, double[] b,
            double[] state, double[] o) {
        int hN = d.heads();
        int kN = d.keyWidth();
        int vN = d.valueWidth();
        checkQkv(d, q, k, v, o);
        d.check("w", w, (long) hN * kN);
        d.check("r", r, (long) hN * kN);
        d.check("b", b, (long) hN * kN);
        d.checkState("state", state, d.stateSize());
        double[] p = new double[vN];
        for (int t = 0; t < d.tokens(); t++) {
            for (int h = 0; h < hN; h++) {
                int s0 = h * kN * vN;
                int kq = (t * hN + h) * kN;
                int vo = (t * hN + h) * vN;
                for (int i = 0; i < kN; i++) {
                    int row = s0 + i * vN;
                    for (int j = 0; j < vN; j++) {
                        state[row + j] = w[kq + i] * state[row + j];
                    }
                }
                transposeTimes(state, s0, kN, vN, r, kq, p);
                for (int i = 0; i < kN; i++) {
                    int row = s0 + i * vN;
                    for (int j = 0; j < vN; j++) {
                        state[row + j] = state[row + j] + b[kq + i] * p[j] + k[kq + i] * v[vo + j];
                    }
                }
                readout(state, s0, kN, vN, q, kq, scale, o, vo);
            }
        }
    }

    // ------------------------------------------------------------------ element-wise (Hawk)

    /**
     * Element-wise gated recurrence (Hawk / HGRN v1): {@code h_t = a_t * h_{t-1} + b_t * x_t},
     * {@code o_t = h_t}.
     *
     * @param tokens T
     * @param width channels per call (H * V for a layer)
     * @param a decay multipliers {@code [T][width]}, or null for none
     * @param b input gates {@code [T][width]}, or null for 1
     * @param x inputs {@code [T][width]}
     * @param state {@code [width]}, in/out
     * @param o outputs {@code [T][width]}
     */
    public static void elementwise(int tokens, int width, double[] a, double[] b, double[] x, double[] state, double[] o) {
        Dims d = new Dims(tokens, 1, 1, width);
        if (a != null) {
            d.check("a", a, width);
        }
        if (b != null) {
            d.check("b", b, width);
        }
        d.check("x", x, width);
        d.check("o", o, width);
        d.checkState("state", state, width);
        for (int t = 0; t < tokens; t++) {
            int off = t * width;
            for (int i = 0; i < width; i++) {
                state[i] = (a == null ? 1 : a[off + i]) * state[i] + (b == null ? 1 : b[off + i]) * x[off + i];
                o[off + i] = state[i];
            }
        }
    }

    // ------------------------------------------------------------------ log-linear

    /**
     * Log-linear attention in streaming (Fenwick) form, as the reference layer computes it: each
     * token pushes its leaf {@code k v^T} into a binary counter of L levels (level l holds the plain
     * sum of a 2^l-token group; no decay; when all levels are full the carry folds into level L-1),
     * then reads {@code o_t = sum_l lambda_t[l] S^(l)^T (scale q_t)} over the active levels.
     * Total cost is O(T log T).
     *
     * @param d sizes
     * @param levels L
     * @param scale query scale
     * @param q queries {@code [T][H][K]}
     * @param k leaf keys {@code [T][H][K]}
     * @param v values {@code [T][H][V]}
     * @param lambda level weights {@code [T][H][L]}
     * @param state {@code [H][L][K][V]}, in/out
     * @param mask {@code [1]}: bit l set when level l is active, in/out
     * @param o outputs {@code [T][H][V]}
     */
    public static void logLinear(Dims d, int levels, double scale, double[] q, double[] k, double[] v, double[] lambda,
            double[] state, long[] mask, double[] o) {
        int hN = d.heads();
        int kN = d.keyWidth();
        int vN = d.valueWidth();
        int kv = kN * vN;
        checkQkv(d, q, k, v, o);
        d.check("lambda", lambda, (long) hN * levels);
        d.checkState("state", state, (long) hN * levels * kv);
        if (mask == null || mask.length != 1) {
            throw new dev.unroll.runtime.ShapeMismatchException("mask", new long[] {1}, new long[] {mask == null ? 0 : mask.length});
        }
        double[] carry = new double[kv];
        double[] tmp = new double[vN];
        for (int t = 0; t < d.tokens(); t++) {
            long before = mask[0];
            long after = before;
            for (int h = 0; h < hN; h++) {
                int base = h * levels * kv;
                int kq = (t * hN + h) * kN;
                int vo = (t * hN + h) * vN;
                for (int i = 0; i < kN; i++) {
                    for (int j = 0; j < vN; j++) {
                        carry[i * vN + j] = k[kq + i] * v[vo + j];
                    }
                }
                after = pushLeaf(state, base, levels, kv, carry, before);
                for (int j = 0; j < vN; j++) {
                    o[vo + j] = 0.0;
                }
                for (int l = 0; l < levels; l++) {
                    double lam = lambda[(t * hN + h) * levels + l];
                    if ((after & (1L << l)) == 0 || lam == 0.0) {
                        continue;
                    }
                    transposeTimesScaled(state, base + l * kv, kN, vN, q, kq, scale, tmp);
                    for (int j = 0; j < vN; j++) {
                        o[vo + j] += lam * tmp[j];
                    }
                }
            }
            mask[0] = after;
        }
    }

    /**
     * Binary-counter push of one head's leaf; returns the new mask.
     *
     * @param state the levels of all heads
     * @param base offset of this head's level 0
     * @param levels L
     * @param kv K * V
     * @param carry the leaf (overwritten)
     * @param mask active levels before the push
     * @return active levels after the push
     */
    public static long pushLeaf(double[] state, int base, int levels, int kv, double[] carry, long mask) {
        for (int l = 0; ; l++) {
            if (l == levels) {
                int top = base + (levels - 1) * kv;
                for (int x = 0; x < kv; x++) {
                    state[top + x] += carry[x];
                }
                return mask | (1L << (levels - 1));
            }
            int lv = base + l * kv;
            if ((mask & (1L << l)) == 0) {
                System.arraycopy(carry, 0, state, lv, kv);
                return mask | (1L << l);
            }
            for (int x = 0; x < kv; x++) {
                carry[x] = carry[x] + state[lv + x];
                state[lv + x] = 0.0;
            }
            mask &= ~(1L << l);
        }
    }

    // ------------------------------------------------------------------ mLSTM (xLSTM)

    // ------------------------------------------------------------------ helpers

    /**
     * L2-normalises {@code count} vectors of width {@code width} in place, as the reference:
     * {@code n = sqrt(sum x^2)} (sequential), zero when {@code n < 1e-12}, else {@code x * (1/n)}.
     *
     * @param x vectors, row-major
     * @param count how many
     * @param width their width
     */
    public static void l2normalise(double[] x, int count, int width) {
        for (int c = 0; c < count; c++) {
            int off = c * width;
            double ss = 0.0;
            for (int i = 0; i < width; i++) {
                ss += x[off + i] * x[off + i];
            }
            double norm = Math.sqrt(ss);
            if (norm < 1e-12) {
                for (int i = 0; i < width; i++) {
                    x[off + i] = 0.0;
                }
            } else {
                double inv = 1.0 / norm;
                for (int i = 0; i < width; i++) {
                    x[off + i] = x[off + i] * inv;
                }
            }
        }
    }

    private static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    private static void deltaStep(double[] s, int s0, int kN, int vN, double[] k, int ko, double[] v, int vo, double beta, double[] e) {
        transposeTimes(s, s0, kN, vN, k, ko, e);
        for (int j = 0; j < vN; j++) {
            e[j] = beta * (v[vo + j] - e[j]);
        }
        for (int i = 0; i < kN; i++) {
            double ki = k[ko + i];
            int row = s0 + i * vN;
            for (int j = 0; j < vN; j++) {
                s[row + j] += ki * e[j];
            }
        }
    }

    private static void scale(double[] s, int off, int n, double g) {
        for (int x = 0; x < n; x++) {
            s[off + x] = g * s[off + x];
        }
    }

    /** out_j = sum_i S[i][j] x[i], sequential in i. */
    private static void transposeTimes(double[] s, int s0, int kN, int vN, double[] x, int xo, double[] out) {
        for (int j = 0; j < vN; j++) {
            double acc = 0.0;
            for (int i = 0; i < kN; i++) {
                acc += s[s0 + i * vN + j] * x[xo + i];
            }
            out[j] = acc;
        }
    }

    private static void transposeTimesScaled(double[] s, int s0, int kN, int vN, double[] q, int qo, double scale, double[] out) {
        for (int j = 0; j < vN; j++) {
            double acc = 0.0;
            for (int i = 0; i < kN; i++) {
                acc += s[s0 + i * vN + j] * (scale * q[qo + i]);
            }
            out[j] = acc;
        }
    }

    private static void readout(double[] s, int s0, int kN, int vN, double[] q, int qo, double scale, double[] o, int oo) {
        for (int j = 0; j < vN; j++) {
            double acc = 0.0;
            for (int i = 0; i < kN; i++) {
                acc += s[s0 + i * vN + j] * (scale * q[qo + i]);
            }
            o[oo + j] = acc;
        }
    }

    private static void checkQkv(Dims d, double[] q, double[] k, double[] v, double[] o) {
        d.check("q", q, (long) d.heads() * d.keyWidth());
        d.check("k", k, (long) d.heads() * d.keyWidth());
        d.check("v", v, (long) d.heads() * d.valueWidth());
        d.check("o", o, (long) d.heads() * d.valueWidth());
    }

    private static double[] initial(Dims d, double[] initialState) {
        if (initialState == null) {
            return new double[d.stateSize()];
        }
        d.checkState("initialState", initialState, d.stateSize());
        return initialState.clone();
    }
}

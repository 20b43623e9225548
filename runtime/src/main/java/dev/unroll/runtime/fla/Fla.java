package dev.unroll.runtime.fla;

import dev.unroll.runtime.UnrollException;

/**
 * The linear-attention recurrences called as flash-linear-attention 0.5 calls them
 * ({@code fla/ops/*}/naive.py; mLSTM as NX-AI's {@code mlstm_kernels}): the same names, argument
 * order, layouts, log-space gates, default scales, initial and final states and {@code cu_seqlens},
 * so that porting a PyTorch call is a rename. The table in {@code docs/linear-attention.md} maps
 * each to fla's. Computed in f64; outputs and states returned as float, as fla returns them.
 *
 * <p>Layouts: {@code [B, T, H, K]} unless an op is marked head-first ({@code [B, H, T, K]}); states
 * {@code [B, H, K, V]} (RWKV-7's {@code [B, H, V, K]}). Optional arguments (initial states,
 * {@code cu_seqlens}, {@code scale}, gated DeltaProduct's {@code g}) are null when absent; a null
 * {@code scale} means the op's default in fla ({@code K^-1/2}; 1.0 for RWKV-7). Required arguments
 * must not be null: a missing gate is an error, never "no decay". With {@code cuSeqlens} (offsets of
 * packed sequences, B = 1), initial and final states have one row per sequence.
 *
 * <p>Every argument is checked before anything is computed, and every failure is an
 * {@link UnrollException} naming the op, the argument, its shape or value and the rule: ranks and
 * shapes, widths K and V of at least 1, finite values (a log gate may be {@code -inf}, a full reset),
 * the state's size against the memory budget, and outputs that overflowed float.
 *
 * <p>Thread-safety: stateless; every call is independent.
 */
public final class Fla {
    /**
     * The most multiply-adds {@link #naiveLogLinearAttn} does in one call, {@code B H T(T+1)/2 (K+V)}
     * (about ten seconds of this f64 reference arithmetic): its quadratic form would take hours on a
     * long sequence. Split longer inputs by batch rows, or check a prefix.
     */
    public static final long MAX_QUADRATIC_WORK = 1L << 33;

    private static final String BTHK = "[B, T, H, K]";
    private static final String BTHV = "[B, T, H, V]";
    private static final String BTH = "[B, T, H]";
    private static final String BHTK = "[B, H, T, K]";
    private static final String BHTV = "[B, H, T, V]";
    private static final String BHT = "[B, H, T]";

    private Fla() {}

    /** One head of one sequence: tokens {@code [t0, t1)} of batch row {@code b}, state {@code S} in and out. */
    @FunctionalInterface
    private interface HeadKernel {
        void run(int b, int t0, int t1, int h, double[] s);
    }

    /** @return the number of state rows: one per sequence */
    private static int sequences(int batch, int[] cuSeqlens) {
        return cuSeqlens == null ? batch : cuSeqlens.length - 1;
    }

    /**
     * Runs a kernel over every sequence and head, with the initial and final states (both checked by
     * the caller).
     *
     * @param stateShape the state's shape per sequence and head (e.g. {K, V})
     */
    private static Tensor drive(Call c, int batch, int tokens, int heads, int[] cuSeqlens, Tensor h0, boolean outputFinal, int[] stateShape,
            HeadKernel kernel) {
        int per = c.allocation("the state per head", Double.BYTES, stateShape[0], stateShape[1]);
        int seqs = sequences(batch, cuSeqlens);
        float[] last = outputFinal ? new float[c.allocation("the final state", Float.BYTES, seqs, heads, stateShape[0], stateShape[1])] : null;
        double[] s = new double[per];
        for (int n = 0; n < seqs; n++) {
            int b = cuSeqlens == null ? n : 0;
            int t0 = cuSeqlens == null ? 0 : cuSeqlens[n];
            int t1 = cuSeqlens == null ? tokens : cuSeqlens[n + 1];
            for (int h = 0; h < heads; h++) {
                int at = (n * heads + h) * per;
                for (int i = 0; i < per; i++) {
                    s[i] = h0 == null ? 0 : h0.data()[at + i];
                }
                kernel.run(b, t0, t1, h, s);
                if (last != null) {
                    for (int i = 0; i < per; i++) {
                        last[at + i] = (float) s[i];
                    }
                }
            }
        }
        return last == null ? null : c.output("final_state", last, seqs, heads, stateShape[0], stateShape[1]);
    }

    /** o[j] = sum_i s q[i] S[i][j], written at {@code out[o0 + j]}. */
    private static void readout(double[] st, int kN, int vN, float[] q, int q0, double s, float[] out, int o0) {
        for (int j = 0; j < vN; j++) {
            double acc = 0;
            for (int i = 0; i < kN; i++) {
                acc += s * q[q0 + i] * st[i * vN + j];
            }
            out[o0 + j] = (float) acc;
        }
    }

    // ------------------------------------------------------------------ decay family

    /**
     * {@code naive_recurrent_gla(q, k, v, gk, initial_state, output_final_state)}:
     * {@code S_t = diag(exp(gk_t)) S_{t-1} + k_t v_t^T}, {@code o_t = S_t^T (K^-1/2 q_t)}.
     *
     * @param q {@code [B, T, H, K]}
     * @param k {@code [B, T, H, K]}
     * @param v {@code [B, T, H, V]}
     * @param gk log decay per key channel, {@code [B, T, H, K]}; required
     * @param initialState {@code [N, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @param cuSeqlens packed sequence offsets, or null
     * @return o {@code [B, T, H, V]} and the final state
     */
    public static Result naiveRecurrentGla(Tensor q, Tensor k, Tensor v, Tensor gk, Tensor initialState, boolean outputFinalState, int[] cuSeqlens) {
        Call c = new Call("naive_recurrent_gla");
        c.required("gk", gk, BTHK);
        return decay(c, q, k, v, gk, null, null, initialState, outputFinalState, cuSeqlens, false);
    }

    /**
     * {@code naive_recurrent_simple_gla(q, k, v, g, scale, initial_state, output_final_state)}:
     * {@code S_t = exp(g_t) S_{t-1} + k_t v_t^T}, {@code o_t = S_t^T (scale q_t)}.
     *
     * @param q {@code [B, T, H, K]}
     * @param k {@code [B, T, H, K]}
     * @param v {@code [B, T, H, V]}
     * @param g log decay per head, {@code [B, T, H]}; required
     * @param scale query scale, or null for {@code K^-1/2}
     * @param initialState {@code [N, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @param cuSeqlens packed sequence offsets, or null
     * @return o {@code [B, T, H, V]} and the final state
     */
    public static Result naiveRecurrentSimpleGla(Tensor q, Tensor k, Tensor v, Tensor g, Double scale, Tensor initialState, boolean outputFinalState,
            int[] cuSeqlens) {
        Call c = new Call("naive_recurrent_simple_gla");
        c.required("g", g, BTH);
        return decay(c, q, k, v, null, g, scale, initialState, outputFinalState, cuSeqlens, false);
    }

    /**
     * {@code naive_recurrent_linear_attn(q, k, v, scale, initial_state, output_final_state, normalize)}:
     * {@code S_t = S_{t-1} + k_t v_t^T}; with {@code normalize}, {@code o_t} is divided by
     * {@code scale q_t . sum_{j<=t} k_j + 1e-10}.
     *
     * @param q {@code [B, T, H, K]}
     * @param k {@code [B, T, H, K]}
     * @param v {@code [B, T, H, V]}
     * @param scale query scale, or null for {@code K^-1/2}
     * @param initialState {@code [B, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @param normalize divide by the normaliser
     * @return o {@code [B, T, H, V]} and the final state
     */
    public static Result naiveRecurrentLinearAttn(Tensor q, Tensor k, Tensor v, Double scale, Tensor initialState, boolean outputFinalState,
            boolean normalize) {
        return decay(new Call("naive_recurrent_linear_attn"), q, k, v, null, null, scale, initialState, outputFinalState, null, normalize);
    }

    /**
     * {@code naive_retention(q, k, v)}, head-first: {@code o_t = sum_{j<=t} gamma_h^(t-j) (q_t . k_j / sqrt(K)) v_j}
     * with {@code gamma_h = 1 - 2^(-5-h)}; computed as the equivalent recurrence. No state in or out.
     *
     * @param q {@code [B, H, T, K]}
     * @param k {@code [B, H, T, K]}
     * @param v {@code [B, H, T, V]}
     * @return o {@code [B, H, T, V]}
     */
    public static Tensor naiveRetention(Tensor q, Tensor k, Tensor v) {
        Call c = new Call("naive_retention");
        c.required("q", q, BHTK);
        c.required("k", k, BHTK);
        c.required("v", v, BHTV);
        int bN = q.dim(0);
        int hN = q.dim(1);
        int tN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        c.shape("k", k, bN, hN, tN, kN);
        c.shape("v", v, bN, hN, tN, vN);
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        Layout lk = Layout.bhT(tN, hN, kN);
        Layout lv = Layout.bhT(tN, hN, vN);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, hN, tN, vN)];
        double s = 1 / Math.sqrt(kN);
        drive(c, bN, tN, hN, null, null, false, new int[] {kN, vN}, (b, t0, t1, h, st) -> {
            double gamma = 1 - Math.pow(2, -5 - h);
            for (int t = t0; t < t1; t++) {
                update(st, kN, vN, gamma, null, 0, k.data(), lk.at(b, t, h), v.data(), lv.at(b, t, h));
                readout(st, kN, vN, q.data(), lk.at(b, t, h), s, o, lv.at(b, t, h));
            }
        });
        return c.output("o", o, bN, hN, tN, vN);
    }

    /** S[i][j] = decay_i S[i][j] + k[i] v[j], decay_i = scalar, or exp(gk[g0 + i]) when gk is given. */
    private static void update(double[] st, int kN, int vN, double scalar, float[] gk, int g0, float[] k, int k0, float[] v, int v0) {
        for (int i = 0; i < kN; i++) {
            double a = gk == null ? scalar : Math.exp(gk[g0 + i]);
            double ki = k[k0 + i];
            for (int j = 0; j < vN; j++) {
                st[i * vN + j] = a * st[i * vN + j] + ki * v[v0 + j];
            }
        }
    }

    /** The state's shape per sequence: {@code [N, H, K, V]} with N the sequences. */
    private static void initialState(Call c, Tensor h0, int seqs, int heads, int rows, int cols) {
        if (h0 != null) {
            c.shape("initial_state", h0, seqs, heads, rows, cols);
            c.finite("initial_state", h0, false);
        }
    }

    private static Result decay(Call c, Tensor q, Tensor k, Tensor v, Tensor gk, Tensor g, Double scale, Tensor h0, boolean outFinal, int[] cuSeqlens,
            boolean normalize) {
        c.required("q", q, BTHK);
        c.required("k", k, BTHK);
        c.required("v", v, BTHV);
        int bN = q.dim(0);
        int tN = q.dim(1);
        int hN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        c.shape("k", k, bN, tN, hN, kN);
        c.shape("v", v, bN, tN, hN, vN);
        c.shape("gk", gk, bN, tN, hN, kN);
        c.shape("g", g, bN, tN, hN);
        int[] cu = c.cuSeqlens(cuSeqlens, bN, tN);
        initialState(c, h0, sequences(bN, cu), hN, kN, vN);
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("gk", gk, true);
        c.finite("g", g, true);
        Layout lk = Layout.btH(tN, hN, kN);
        Layout lv = Layout.btH(tN, hN, vN);
        Layout lg = Layout.btH(tN, hN, 1);
        double s = c.scale(scale, 1 / Math.sqrt(kN));
        float[] o = new float[c.allocation("o", Float.BYTES, bN, tN, hN, vN)];
        Tensor last = drive(c, bN, tN, hN, cu, h0, outFinal, new int[] {kN, vN}, (b, t0, t1, h, st) -> {
            double[] z = normalize ? new double[kN] : null;
            for (int t = t0; t < t1; t++) {
                int k0 = lk.at(b, t, h);
                int v0 = lv.at(b, t, h);
                double a = g == null ? 1 : Math.exp(g.data()[lg.at(b, t, h)]);
                update(st, kN, vN, a, gk == null ? null : gk.data(), k0, k.data(), k0, v.data(), v0);
                readout(st, kN, vN, q.data(), k0, s, o, v0);
                if (z != null) {
                    double den = 1e-10;
                    for (int i = 0; i < kN; i++) {
                        z[i] += k.data()[k0 + i];
                        den += s * q.data()[k0 + i] * z[i];
                    }
                    for (int j = 0; j < vN; j++) {
                        o[v0 + j] = (float) (o[v0 + j] / den);
                    }
                }
            }
        });
        return new Result(c.output("o", o, bN, tN, hN, vN), last);
    }

    /**
     * {@code naive_recurrent_hgrn(x, g, initial_state, output_final_state)}: element-wise
     * {@code h_t = exp(g_t) h_{t-1} + x_t}, {@code o_t = h_t}.
     *
     * @param x {@code [B, T, D]}
     * @param g log forget gate, {@code [B, T, D]}; required
     * @param initialState {@code [B, D]} or null
     * @param outputFinalState whether to return the final state
     * @return o {@code [B, T, D]} and the final state {@code [B, D]}
     */
    public static Result naiveRecurrentHgrn(Tensor x, Tensor g, Tensor initialState, boolean outputFinalState) {
        Call c = new Call("naive_recurrent_hgrn");
        c.required("x", x, "[B, T, D]");
        c.required("g", g, "[B, T, D]");
        int bN = x.dim(0);
        int tN = x.dim(1);
        int dN = c.width("D", x.dim(2));
        c.shape("g", g, bN, tN, dN);
        c.shape("initial_state", initialState, bN, dN);
        c.finite("x", x, false);
        c.finite("g", g, true);
        c.finite("initial_state", initialState, false);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, tN, dN)];
        float[] last = new float[c.allocation("the final state", Float.BYTES, bN, dN)];
        for (int b = 0; b < bN; b++) {
            for (int d = 0; d < dN; d++) {
                double hv = initialState == null ? 0 : initialState.data()[b * dN + d];
                for (int t = 0; t < tN; t++) {
                    int at = (b * tN + t) * dN + d;
                    hv = Math.exp(g.data()[at]) * hv + x.data()[at];
                    o[at] = (float) hv;
                }
                last[b * dN + d] = (float) hv;
            }
        }
        return new Result(c.output("o", o, bN, tN, dN), outputFinalState ? c.output("final_state", last, bN, dN) : null);
    }

    // ------------------------------------------------------------------ delta rule family

    /**
     * {@code delta_rule_recurrence(q, k, v, beta, initial_state, output_final_state)}, head-first:
     * {@code u_t = beta_t (v_t - S_{t-1}^T k_t)}, {@code S_t = S_{t-1} + k_t u_t^T},
     * {@code o_t = S_t^T (K^-1/2 q_t)}. Keys are used as given (fla's tests L2-normalise them first).
     *
     * @param q {@code [B, H, T, K]}
     * @param k {@code [B, H, T, K]}
     * @param v {@code [B, H, T, V]}
     * @param beta {@code [B, H, T]}
     * @param initialState {@code [B, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @return o {@code [B, H, T, V]} and the final state
     */
    public static Result deltaRuleRecurrence(Tensor q, Tensor k, Tensor v, Tensor beta, Tensor initialState, boolean outputFinalState) {
        Call c = new Call("delta_rule_recurrence");
        c.required("q", q, BHTK);
        c.required("k", k, BHTK);
        c.required("v", v, BHTV);
        c.required("beta", beta, BHT);
        int bN = q.dim(0);
        int hN = q.dim(1);
        int tN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        c.shape("k", k, bN, hN, tN, kN);
        c.shape("v", v, bN, hN, tN, vN);
        c.shape("beta", beta, bN, hN, tN);
        initialState(c, initialState, bN, hN, kN, vN);
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("beta", beta, false);
        Layout lk = Layout.bhT(tN, hN, kN);
        Layout lv = Layout.bhT(tN, hN, vN);
        Layout lb = Layout.bhT(tN, hN, 1);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, hN, tN, vN)];
        double s = 1 / Math.sqrt(kN);
        Tensor last = drive(c, bN, tN, hN, null, initialState, outputFinalState, new int[] {kN, vN}, (b, t0, t1, h, st) -> {
            for (int t = t0; t < t1; t++) {
                deltaStep(st, kN, vN, 1, beta.data()[lb.at(b, t, h)], k.data(), lk.at(b, t, h), v.data(), lv.at(b, t, h));
                readout(st, kN, vN, q.data(), lk.at(b, t, h), s, o, lv.at(b, t, h));
            }
        });
        return new Result(c.output("o", o, bN, hN, tN, vN), last);
    }

    /** S = a S; u = beta (v - S^T k); S += k u^T. */
    private static void deltaStep(double[] st, int kN, int vN, double a, double beta, float[] k, int k0, float[] v, int v0) {
        if (a != 1) {
            for (int i = 0; i < kN * vN; i++) {
                st[i] *= a;
            }
        }
        for (int j = 0; j < vN; j++) {
            double sk = 0;
            for (int i = 0; i < kN; i++) {
                sk += st[i * vN + j] * k[k0 + i];
            }
            double u = beta * (v[v0 + j] - sk);
            for (int i = 0; i < kN; i++) {
                st[i * vN + j] += k[k0 + i] * u;
            }
        }
    }

    /**
     * {@code naive_recurrent_gated_delta_rule(q, k, v, beta, g, scale, initial_state, output_final_state)}:
     * {@code S' = exp(g_t) S_{t-1}}, {@code u_t = beta_t (v_t - S'^T k_t)}, {@code S_t = S' + k_t u_t^T},
     * {@code o_t = S_t^T (scale q_t)}.
     *
     * @param q {@code [B, T, H, K]}
     * @param k {@code [B, T, H, K]}
     * @param v {@code [B, T, H, V]}
     * @param beta {@code [B, T, H]}
     * @param g log decay per head, {@code [B, T, H]}; required
     * @param scale query scale, or null for {@code K^-1/2}
     * @param initialState {@code [N, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @param cuSeqlens packed sequence offsets, or null
     * @return o {@code [B, T, H, V]} and the final state
     */
    public static Result naiveRecurrentGatedDeltaRule(Tensor q, Tensor k, Tensor v, Tensor beta, Tensor g, Double scale, Tensor initialState,
            boolean outputFinalState, int[] cuSeqlens) {
        Call c = new Call("naive_recurrent_gated_delta_rule");
        c.required("g", g, BTH);
        return gatedDeltaProduct(c, q, k, v, g, beta, scale, cuSeqlens, initialState, outputFinalState, 1, true);
    }

    /**
     * {@code naive_recurrent_gated_delta_product(q, k, v, g, beta, scale, cu_seqlens, initial_state,
     * output_final_state, num_householder)}: per token, {@code S <- exp(g_t) S} once, then for each
     * Householder step {@code j}: {@code S <- S + beta_tj k_tj (v_tj - S^T k_tj)^T}; {@code o_t = S^T q_t}.
     * As in fla, {@code scale} is ignored (q is used unscaled).
     *
     * @param q {@code [B, T, H, K]}
     * @param k {@code [B, T * nh, H, K]}: row {@code t * nh + j} is step j of token t
     * @param v {@code [B, T * nh, H, V]}
     * @param g log decay per head, {@code [B, T, H]}, or null (no decay: fla's gated DeltaProduct takes it optional)
     * @param beta {@code [B, T * nh, H]}
     * @param scale ignored, as fla ignores it (checked finite when given)
     * @param cuSeqlens packed sequence offsets (in tokens), or null
     * @param initialState {@code [N, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @param numHouseholder steps per token, at least 1
     * @return o {@code [B, T, H, V]} and the final state
     */
    public static Result naiveRecurrentGatedDeltaProduct(Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Double scale, int[] cuSeqlens,
            Tensor initialState, boolean outputFinalState, int numHouseholder) {
        Call c = new Call("naive_recurrent_gated_delta_product");
        c.scale(scale, 1.0);
        return gatedDeltaProduct(c, q, k, v, g, beta, null, cuSeqlens, initialState, outputFinalState, numHouseholder, false);
    }

    private static Result gatedDeltaProduct(Call c, Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Double scale, int[] cuSeqlens, Tensor h0,
            boolean outFinal, int nh, boolean scaled) {
        if (nh < 1) {
            throw new UnrollException(c.op() + ": num_householder = " + nh + ": must be >= 1");
        }
        c.required("q", q, BTHK);
        c.required("k", k, nh == 1 ? BTHK : "[B, T * num_householder, H, K]");
        c.required("v", v, nh == 1 ? BTHV : "[B, T * num_householder, H, V]");
        c.required("beta", beta, nh == 1 ? BTH : "[B, T * num_householder, H]");
        int bN = q.dim(0);
        int tN = q.dim(1);
        int hN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        long rowsL = (long) tN * nh;
        if (k.dim(1) != rowsL) {
            throw new UnrollException(c.op() + ": k has " + k.dim(1) + " rows on axis 1; T (" + tN + ") x num_householder (" + nh + ") = " + rowsL
                    + " are needed");
        }
        int rows = (int) rowsL;
        c.shape("k", k, bN, rows, hN, kN);
        c.shape("v", v, bN, rows, hN, vN);
        c.shape("beta", beta, bN, rows, hN);
        c.shape("g", g, bN, tN, hN);
        int[] cu = c.cuSeqlens(cuSeqlens, bN, tN);
        initialState(c, h0, sequences(bN, cu), hN, kN, vN);
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("beta", beta, false);
        c.finite("g", g, true);
        double s = scaled ? c.scale(scale, 1 / Math.sqrt(kN)) : 1.0;
        Layout lq = Layout.btH(tN, hN, kN);
        Layout lo = Layout.btH(tN, hN, vN);
        Layout lg = Layout.btH(tN, hN, 1);
        Layout lk = Layout.btH(rows, hN, kN);
        Layout lv = Layout.btH(rows, hN, vN);
        Layout lb = Layout.btH(rows, hN, 1);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, tN, hN, vN)];
        Tensor last = drive(c, bN, tN, hN, cu, h0, outFinal, new int[] {kN, vN}, (b, t0, t1, h, st) -> {
            for (int t = t0; t < t1; t++) {
                double a = g == null ? 1 : Math.exp(g.data()[lg.at(b, t, h)]);
                for (int j = 0; j < nh; j++) {
                    int r = t * nh + j;
                    deltaStep(st, kN, vN, j == 0 ? a : 1, beta.data()[lb.at(b, r, h)], k.data(), lk.at(b, r, h), v.data(), lv.at(b, r, h));
                }
                readout(st, kN, vN, q.data(), lq.at(b, t, h), s, o, lo.at(b, t, h));
            }
        });
        return new Result(c.output("o", o, bN, tN, hN, vN), last);
    }

    // ------------------------------------------------------------------ diagonal plus low rank

    /**
     * {@code dplr_recurrence(q, k, v, alpha, beta, gk, initial_state, output_final_state)}, head-first:
     * {@code S_t = diag(exp(gk_t)) S_{t-1} + beta_t (alpha_t^T S_{t-1}) + k_t v_t^T} (the low-rank term
     * reads the undecayed state), {@code o_t = S_t^T (K^-1/2 q_t)}.
     *
     * @param q {@code [B, H, T, K]}
     * @param k {@code [B, H, T, K]}
     * @param v {@code [B, H, T, V]}
     * @param alpha {@code [B, H, T, K]}
     * @param beta {@code [B, H, T, K]}
     * @param gk log decay per key channel, {@code [B, H, T, K]}; required
     * @param initialState {@code [B, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @return o {@code [B, H, T, V]} and the final state
     */
    public static Result dplrRecurrence(Tensor q, Tensor k, Tensor v, Tensor alpha, Tensor beta, Tensor gk, Tensor initialState,
            boolean outputFinalState) {
        Call c = new Call("dplr_recurrence");
        c.required("gk", gk, BHTK);
        return lowRank(c, q, k, v, alpha, beta, gk, initialState, outputFinalState);
    }

    /**
     * {@code iplr_recurrence(q, k, v, alpha, beta, initial_state, output_final_state)}, head-first:
     * {@link #dplrRecurrence} without decay, {@code S_t = (I + beta_t alpha_t^T) S_{t-1} + k_t v_t^T}.
     *
     * @param q {@code [B, H, T, K]}
     * @param k {@code [B, H, T, K]}
     * @param v {@code [B, H, T, V]}
     * @param alpha {@code [B, H, T, K]}
     * @param beta {@code [B, H, T, K]}
     * @param initialState {@code [B, H, K, V]} or null
     * @param outputFinalState whether to return the final state
     * @return o {@code [B, H, T, V]} and the final state
     */
    public static Result iplrRecurrence(Tensor q, Tensor k, Tensor v, Tensor alpha, Tensor beta, Tensor initialState, boolean outputFinalState) {
        return lowRank(new Call("iplr_recurrence"), q, k, v, alpha, beta, null, initialState, outputFinalState);
    }

    private static Result lowRank(Call c, Tensor q, Tensor k, Tensor v, Tensor alpha, Tensor beta, Tensor gk, Tensor h0, boolean outFinal) {
        c.required("q", q, BHTK);
        c.required("k", k, BHTK);
        c.required("v", v, BHTV);
        c.required("alpha", alpha, BHTK);
        c.required("beta", beta, BHTK);
        int bN = q.dim(0);
        int hN = q.dim(1);
        int tN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        c.shape("k", k, bN, hN, tN, kN);
        c.shape("alpha", alpha, bN, hN, tN, kN);
        c.shape("beta", beta, bN, hN, tN, kN);
        c.shape("v", v, bN, hN, tN, vN);
        c.shape("gk", gk, bN, hN, tN, kN);
        initialState(c, h0, bN, hN, kN, vN);
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("alpha", alpha, false);
        c.finite("beta", beta, false);
        c.finite("gk", gk, true);
        Layout lk = Layout.bhT(tN, hN, kN);
        Layout lv = Layout.bhT(tN, hN, vN);
        double s = 1 / Math.sqrt(kN);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, hN, tN, vN)];
        Tensor last = drive(c, bN, tN, hN, null, h0, outFinal, new int[] {kN, vN}, (b, t0, t1, h, st) -> {
            double[] as = new double[vN];
            for (int t = t0; t < t1; t++) {
                int k0 = lk.at(b, t, h);
                for (int j = 0; j < vN; j++) {
                    double acc = 0;
                    for (int m = 0; m < kN; m++) {
                        acc += alpha.data()[k0 + m] * st[m * vN + j];
                    }
                    as[j] = acc;
                }
                for (int i = 0; i < kN; i++) {
                    double d = gk == null ? 1 : Math.exp(gk.data()[k0 + i]);
                    double bi = beta.data()[k0 + i];
                    double ki = k.data()[k0 + i];
                    for (int j = 0; j < vN; j++) {
                        st[i * vN + j] = d * st[i * vN + j] + bi * as[j] + ki * v.data()[lv.at(b, t, h) + j];
                    }
                }
                readout(st, kN, vN, q.data(), k0, s, o, lv.at(b, t, h));
            }
        });
        return new Result(c.output("o", o, bN, hN, tN, vN), last);
    }

    /**
     * {@code naive_recurrent_rwkv7(r, k, v, w, a, b, scale, initial_state, output_final_state)},
     * head-first, with a <b>value-major</b> state {@code S [V][K]}:
     * {@code S_t = S_{t-1} diag(exp(-exp(w_t))) + (S_{t-1} a_t) b_t^T + v_t k_t^T},
     * {@code o_t = S_t (scale r_t)}; {@code w} is log(-log decay), the a/b term reads the state
     * before decay.
     *
     * @param r {@code [B, H, T, K]}
     * @param k {@code [B, H, T, K]}
     * @param v {@code [B, H, T, V]}
     * @param w {@code [B, H, T, K]}
     * @param a {@code [B, H, T, K]}
     * @param b {@code [B, H, T, K]}
     * @param scale the r scale, or null for fla's default of this op, 1.0 (what RWKV-7 uses); -1 means
     *     {@code K^-1/2}, as in fla
     * @param initialState {@code [B, H, V, K]} or null
     * @param outputFinalState whether to return the final state
     * @return o {@code [B, H, T, V]} and the final state {@code [B, H, V, K]}
     */
    public static Result naiveRecurrentRwkv7(Tensor r, Tensor k, Tensor v, Tensor w, Tensor a, Tensor b, Double scale, Tensor initialState,
            boolean outputFinalState) {
        Call c = new Call("naive_recurrent_rwkv7");
        c.required("r", r, BHTK);
        c.required("k", k, BHTK);
        c.required("v", v, BHTV);
        c.required("w", w, BHTK);
        c.required("a", a, BHTK);
        c.required("b", b, BHTK);
        int bN = r.dim(0);
        int hN = r.dim(1);
        int tN = r.dim(2);
        int kN = c.width("K", r.dim(3));
        int vN = c.width("V", v.dim(3));
        c.shape("k", k, bN, hN, tN, kN);
        c.shape("w", w, bN, hN, tN, kN);
        c.shape("a", a, bN, hN, tN, kN);
        c.shape("b", b, bN, hN, tN, kN);
        c.shape("v", v, bN, hN, tN, vN);
        initialState(c, initialState, bN, hN, vN, kN);
        c.finite("r", r, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("w", w, false);
        c.finite("a", a, false);
        c.finite("b", b, false);
        double given = c.scale(scale, 1.0);
        double s = given == -1 ? 1 / Math.sqrt(kN) : given;
        Layout lk = Layout.bhT(tN, hN, kN);
        Layout lv = Layout.bhT(tN, hN, vN);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, hN, tN, vN)];
        Tensor last = drive(c, bN, tN, hN, null, initialState, outputFinalState, new int[] {vN, kN}, (bb, t0, t1, h, st) -> {
            for (int t = t0; t < t1; t++) {
                int k0 = lk.at(bb, t, h);
                int v0 = lv.at(bb, t, h);
                for (int j = 0; j < vN; j++) {
                    double sa = 0;
                    for (int m = 0; m < kN; m++) {
                        sa += st[j * kN + m] * a.data()[k0 + m];
                    }
                    double acc = 0;
                    for (int i = 0; i < kN; i++) {
                        double decay = Math.exp(-Math.exp(w.data()[k0 + i]));
                        double x = st[j * kN + i] * decay + sa * b.data()[k0 + i] + v.data()[v0 + j] * k.data()[k0 + i];
                        st[j * kN + i] = x;
                        acc += x * s * r.data()[k0 + i];
                    }
                    o[v0 + j] = (float) acc;
                }
            }
        });
        return new Result(c.output("o", o, bN, hN, tN, vN), last);
    }

    // ------------------------------------------------------------------ log-linear (fla's definition)

    /**
     * {@code naive_log_linear_attn(q, k, v, g, level_scales)}: fla's log-linear attention, the
     * quadratic form {@code o_t = sum_{j<=t} lambda_t[lvl(t, j)] exp(G_t - G_j) (q_t . k_j) v_j} with
     * {@code G} the cumulative sum of {@code g}, level 0 the current token alone and level
     * {@code l >= 1} the {@code 2^(l-1)} positions before t's aligned {@code 2^(l-1)}-block when bit
     * {@code l-1} of t is set ({@code lvl(t, j) = floor(log2(t xor j)) + 1}). No scale, no states.
     * Not the reference library's streaming LogLinear mode ({@code AttentionMode.LOG_LINEAR}: no
     * decay, levels by the bits of t+1, the current token inside a block). Quadratic in T: a call of
     * more than {@link #MAX_QUADRATIC_WORK} multiply-adds is refused.
     *
     * @param q {@code [B, T, H, K]}
     * @param k {@code [B, T, H, K]}
     * @param v {@code [B, T, H, V]}
     * @param g log decay per head, {@code [B, T, H]} (finite: its cumulative sums are subtracted)
     * @param levelScales {@code lambda}, {@code [B, T, H, L]}, L at least {@code floor(log2(T-1)) + 2}
     * @return o {@code [B, T, H, V]}
     */
    public static Tensor naiveLogLinearAttn(Tensor q, Tensor k, Tensor v, Tensor g, Tensor levelScales) {
        Call c = new Call("naive_log_linear_attn");
        c.required("q", q, BTHK);
        c.required("k", k, BTHK);
        c.required("v", v, BTHV);
        c.required("g", g, BTH);
        c.required("level_scales", levelScales, "[B, T, H, L]");
        int bN = q.dim(0);
        int tN = q.dim(1);
        int hN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        int lN = levelScales.dim(3);
        c.shape("k", k, bN, tN, hN, kN);
        c.shape("v", v, bN, tN, hN, vN);
        c.shape("g", g, bN, tN, hN);
        c.shape("level_scales", levelScales, bN, tN, hN, lN);
        int need = tN <= 1 ? 1 : 33 - Integer.numberOfLeadingZeros(tN - 1);
        if (lN < need) {
            throw new UnrollException(c.op() + ": level_scales has " + lN + " levels; T = " + tN + " needs " + need);
        }
        double work = (double) bN * hN * tN * (tN + 1.0) / 2 * (kN + vN);
        if (work > MAX_QUADRATIC_WORK) {
            throw new UnrollException(String.format(java.util.Locale.ROOT, "%s: B %d x H %d x T(T+1)/2 (T = %d) x (K + V) %d = %.3g multiply-adds, "
                    + "more than the %d this quadratic reference form does in one call (Fla.MAX_QUADRATIC_WORK, about ten seconds): "
                    + "split the batch rows or check a shorter prefix", c.op(), bN, hN, tN, kN + vN, work, MAX_QUADRATIC_WORK));
        }
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("g", g, false);
        c.finite("level_scales", levelScales, false);
        Layout lk = Layout.btH(tN, hN, kN);
        Layout lv = Layout.btH(tN, hN, vN);
        Layout lg = Layout.btH(tN, hN, 1);
        Layout ll = Layout.btH(tN, hN, lN);
        float[] o = new float[c.allocation("o", Float.BYTES, bN, tN, hN, vN)];
        double[] cum = new double[tN];
        for (int b = 0; b < bN; b++) {
            for (int h = 0; h < hN; h++) {
                double acc = 0;
                for (int t = 0; t < tN; t++) {
                    acc += g.data()[lg.at(b, t, h)];
                    cum[t] = acc;
                }
                double[] out = new double[vN];
                for (int t = 0; t < tN; t++) {
                    int q0 = lk.at(b, t, h);
                    java.util.Arrays.fill(out, 0);
                    for (int j = 0; j <= t; j++) {
                        int lvl = j == t ? 0 : 32 - Integer.numberOfLeadingZeros(t ^ j);
                        int k0 = lk.at(b, j, h);
                        double qk = 0;
                        for (int i = 0; i < kN; i++) {
                            qk += (double) q.data()[q0 + i] * k.data()[k0 + i];
                        }
                        double wgt = levelScales.data()[ll.at(b, t, h) + lvl] * Math.exp(cum[t] - cum[j]) * qk;
                        int v0 = lv.at(b, j, h);
                        for (int x = 0; x < vN; x++) {
                            out[x] += wgt * v.data()[v0 + x];
                        }
                    }
                    int o0 = lv.at(b, t, h);
                    for (int x = 0; x < vN; x++) {
                        o[o0 + x] = (float) out[x];
                    }
                }
            }
        }
        return c.output("o", o, bN, tN, hN, vN);
    }

    // ------------------------------------------------------------------ mLSTM

    /**
     * What {@link #mlstmRecurrentSequence} returns.
     *
     * @param h the outputs {@code [B, H, T, V]}
     * @param c the final matrix memory {@code [B, H, K, V]}, or null
     * @param n the final normaliser {@code [B, H, K]}, or null
     * @param m the final stabiliser {@code [B, H]}, or null
     */
    public record MlstmResult(Tensor h, Tensor c, Tensor n, Tensor m) {}

    /**
     * {@code mlstm_recurrent_sequence__native_fw(q, k, v, i, f, c_initial, n_initial, m_initial,
     * return_last_states, eps)} (NX-AI's {@code mlstm_kernels}), head-first: with
     * {@code f~ = logsigmoid(f_t)}, {@code m_t = max(f~ + m_{t-1}, i_t)}, {@code f' = exp(f~ + m_{t-1} - m_t)},
     * {@code i' = exp(i_t - m_t)}: {@code C_t = f' C_{t-1} + i' k_t v_t^T}, {@code n_t = f' n_{t-1} + i' k_t},
     * {@code h_t = C_t^T q^ / (max(|q^ . n_t|, exp(-m_t)) + eps)} with {@code q^ = q_t / sqrt(K)}.
     *
     * @param q {@code [B, H, T, K]}
     * @param k {@code [B, H, T, K]}
     * @param v {@code [B, H, T, V]}
     * @param i input gate pre-activations {@code [B, H, T]}
     * @param f forget gate pre-activations {@code [B, H, T]}
     * @param cInitial {@code [B, H, K, V]} or null (zeros)
     * @param nInitial {@code [B, H, K]} (or mlstm_kernels' {@code [B, H, K, 1]}) or null (zeros)
     * @param mInitial {@code [B, H]} (or mlstm_kernels' {@code [B, H, 1]}) or null (zeros)
     * @param returnLastStates whether to return C, n and m
     * @param eps the denominator's epsilon (1e-6 in mlstm_kernels), finite and at least 0
     * @return h and the last states
     */
    public static MlstmResult mlstmRecurrentSequence(Tensor q, Tensor k, Tensor v, Tensor i, Tensor f, Tensor cInitial, Tensor nInitial,
            Tensor mInitial, boolean returnLastStates, double eps) {
        Call c = new Call("mlstm_recurrent_sequence__native_fw");
        c.required("q", q, BHTK);
        c.required("k", k, BHTK);
        c.required("v", v, BHTV);
        c.required("i", i, BHT);
        c.required("f", f, BHT);
        int bN = q.dim(0);
        int hN = q.dim(1);
        int tN = q.dim(2);
        int kN = c.width("K", q.dim(3));
        int vN = c.width("V", v.dim(3));
        c.shape("k", k, bN, hN, tN, kN);
        c.shape("v", v, bN, hN, tN, vN);
        c.shape("i", i, bN, hN, tN);
        c.shape("f", f, bN, hN, tN);
        c.shape("c_initial", cInitial, bN, hN, kN, vN);
        if (nInitial != null && !nInitial.hasShape(bN, hN, kN, 1)) {
            c.shape("n_initial", nInitial, bN, hN, kN);
        }
        if (mInitial != null && !mInitial.hasShape(bN, hN, 1)) {
            c.shape("m_initial", mInitial, bN, hN);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new UnrollException(c.op() + ": eps = " + eps + ": must be finite and >= 0 (mlstm_kernels uses 1e-6)");
        }
        c.finite("q", q, false);
        c.finite("k", k, false);
        c.finite("v", v, false);
        c.finite("i", i, false);
        c.finite("f", f, false);
        c.finite("c_initial", cInitial, false);
        c.finite("n_initial", nInitial, false);
        c.finite("m_initial", mInitial, false);
        Layout lk = Layout.bhT(tN, hN, kN);
        Layout lv = Layout.bhT(tN, hN, vN);
        Layout lg = Layout.bhT(tN, hN, 1);
        float[] out = new float[c.allocation("h", Float.BYTES, bN, hN, tN, vN)];
        float[] nLast = new float[c.allocation("n", Float.BYTES, bN, hN, kN)];
        float[] mLast = new float[c.allocation("m", Float.BYTES, bN, hN)];
        double sq = 1 / Math.sqrt(kN);
        Tensor cLast = drive(c, bN, tN, hN, null, cInitial, returnLastStates, new int[] {kN, vN}, (b, t0, t1, h, st) -> {
            double[] n = new double[kN];
            for (int x = 0; x < kN; x++) {
                n[x] = nInitial == null ? 0 : nInitial.data()[(b * hN + h) * kN + x];
            }
            double m = mInitial == null ? 0 : mInitial.data()[b * hN + h];
            for (int t = t0; t < t1; t++) {
                int g0 = lg.at(b, t, h);
                double ft = f.data()[g0];
                double logF = ft >= 0 ? -Math.log1p(Math.exp(-ft)) : ft - Math.log1p(Math.exp(ft));
                double it = i.data()[g0];
                double mNew = Math.max(logF + m, it);
                double fp = Math.exp(logF + m - mNew);
                double ip = Math.exp(it - mNew);
                m = mNew;
                int k0 = lk.at(b, t, h);
                int v0 = lv.at(b, t, h);
                double qn = 0;
                for (int x = 0; x < kN; x++) {
                    double kx = k.data()[k0 + x];
                    n[x] = fp * n[x] + ip * kx;
                    qn += sq * q.data()[k0 + x] * n[x];
                    for (int y = 0; y < vN; y++) {
                        st[x * vN + y] = fp * st[x * vN + y] + ip * kx * v.data()[v0 + y];
                    }
                }
                double den = Math.max(Math.abs(qn), Math.exp(-m)) + eps;
                for (int y = 0; y < vN; y++) {
                    double acc = 0;
                    for (int x = 0; x < kN; x++) {
                        acc += sq * q.data()[k0 + x] * st[x * vN + y];
                    }
                    out[v0 + y] = (float) (acc / den);
                }
            }
            for (int x = 0; x < kN; x++) {
                nLast[(b * hN + h) * kN + x] = (float) n[x];
            }
            mLast[b * hN + h] = (float) m;
        });
        Tensor ho = c.output("h", out, bN, hN, tN, vN);
        return returnLastStates ? new MlstmResult(ho, cLast, c.output("n", nLast, bN, hN, kN), c.output("m", mLast, bN, hN))
                : new MlstmResult(ho, null, null, null);
    }
}

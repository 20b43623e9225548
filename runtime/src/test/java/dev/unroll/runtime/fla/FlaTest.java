package dev.unroll.runtime.fla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every fla-convention op on data in fla's own layout, checked against an independent form of the
 * same maths: the quadratic (parallel) forms, the cross-checks fla's own code documents (retention
 * is simple GLA with {@code log gamma_h}; log-linear with every lambda 1 is simple GLA with scale 1;
 * DeltaProduct with one step is gated DeltaNet with scale 1; RWKV-7 is DPLR with {@code q = r sqrt(K)},
 * {@code gk = -exp(w)} and the transposed state), packed sequences against separate calls, and
 * small cases worked by hand. Tolerance 2e-6 absolute on values of order 1 (outputs are float, as
 * fla returns them; the arithmetic is f64).
 */
class FlaTest {
    static final double TOL = 2e-6;
    static final int B = 2;
    static final int T = 11;
    static final int H = 3;
    static final int K = 4;
    static final int V = 5;

    static Tensor rand(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) (scale * r.nextGaussian());
        }
        return t;
    }

    /** logsigmoid of a Gaussian: fla's tests' decays. */
    static Tensor logDecay(Random r, int... shape) {
        Tensor t = rand(r, 1, shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) -Math.log1p(Math.exp(-t.data()[i]));
        }
        return t;
    }

    static void close(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], TOL, "element " + i);
        }
    }

    static int btH(int b, int t, int h, int w, int x) {
        return ((b * T + t) * H + h) * w + x;
    }

    /** GLA's parallel form: o_t = sum_{j<=t} sum_k s q_t[k] exp(sum_{u=j+1..t} gk_u[k]) k_j[k] v_j + the decayed h0. */
    @Test
    void glaEqualsItsParallelFormWithAnInitialState() {
        Random r = new Random(1);
        Tensor q = rand(r, 1, B, T, H, K);
        Tensor k = rand(r, 1, B, T, H, K);
        Tensor v = rand(r, 1, B, T, H, V);
        Tensor gk = logDecay(r, B, T, H, K);
        Tensor h0 = rand(r, 1, B, H, K, V);
        Result res = Fla.naiveRecurrentGla(q, k, v, gk, h0, true, null);
        float[] o = new float[B * T * H * V];
        double s = 1 / Math.sqrt(K);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int t = 0; t < T; t++) {
                    for (int y = 0; y < V; y++) {
                        double acc = 0;
                        for (int x = 0; x < K; x++) {
                            double cum = 0;
                            for (int u = t; u >= 0; u--) { // j = u
                                acc += s * q.data()[btH(b, t, h, K, x)] * Math.exp(cum) * k.data()[btH(b, u, h, K, x)] * v.data()[btH(b, u, h, V, y)];
                                cum += gk.data()[btH(b, u, h, K, x)];
                            }
                            acc += s * q.data()[btH(b, t, h, K, x)] * Math.exp(cum) * h0.data()[((b * H + h) * K + x) * V + y];
                        }
                        o[btH(b, t, h, V, y)] = (float) acc;
                    }
                }
            }
        }
        close(Tensor.of(o, B, T, H, V), res.o());
        assertArrayEquals(new int[] {B, H, K, V}, res.finalState().shape());
    }

    /** RetNet's quadratic form equals simple GLA with g = log gamma_h, as fla documents. */
    @Test
    void retentionIsSimpleGlaWithLogGammaPerHead() {
        Random r = new Random(2);
        Tensor q = rand(r, 1, B, H, T, K);
        Tensor k = rand(r, 1, B, H, T, K);
        Tensor v = rand(r, 1, B, H, T, V);
        Tensor o = Fla.naiveRetention(q, k, v);
        // the quadratic form, independently
        float[] want = new float[o.data().length];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                double gamma = 1 - Math.pow(2, -5 - h);
                for (int t = 0; t < T; t++) {
                    for (int y = 0; y < V; y++) {
                        double acc = 0;
                        for (int j = 0; j <= t; j++) {
                            double qk = 0;
                            for (int x = 0; x < K; x++) {
                                qk += q.data()[((b * H + h) * T + t) * K + x] * k.data()[((b * H + h) * T + j) * K + x];
                            }
                            acc += Math.pow(gamma, t - j) * qk / Math.sqrt(K) * v.data()[((b * H + h) * T + j) * V + y];
                        }
                        want[((b * H + h) * T + t) * V + y] = (float) acc;
                    }
                }
            }
        }
        close(Tensor.of(want, B, H, T, V), o);
        // and simple GLA in [B, T, H, *] with g = log gamma_h
        Tensor g = Tensor.zeros(B, T, H);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int h = 0; h < H; h++) {
                    g.data()[(b * T + t) * H + h] = (float) Math.log(1 - Math.pow(2, -5 - h));
                }
            }
        }
        Tensor simple = Fla.naiveRecurrentSimpleGla(toBtH(q), toBtH(k), toBtH(v), g, null, null, false, null).o();
        close(toBtH(o), simple);
    }

    /** Log-linear attention with every lambda 1: its levels tile 0..t, so it is simple GLA with scale 1. */
    @Test
    void logLinearWithUnitScalesIsSimpleGlaWithScaleOne() {
        Random r = new Random(3);
        int t64 = 64;
        Tensor q = rand(r, 0.5, 1, t64, 2, K);
        Tensor k = rand(r, 0.5, 1, t64, 2, K);
        Tensor v = rand(r, 0.5, 1, t64, 2, V);
        Tensor g = logDecay(r, 1, t64, 2);
        Tensor ones = Tensor.zeros(1, t64, 2, 7);
        java.util.Arrays.fill(ones.data(), 1f);
        close(Fla.naiveRecurrentSimpleGla(q, k, v, g, 1.0, null, false, null).o(), Fla.naiveLogLinearAttn(q, k, v, g, ones));
        // one level scaled to 0 removes exactly that level's positions: level 0 is the token itself
        Tensor noSelf = Tensor.of(ones.data().clone(), 1, t64, 2, 7);
        for (int i = 0; i < noSelf.data().length; i += 7) {
            noSelf.data()[i] = 0;
        }
        Tensor without = Fla.naiveLogLinearAttn(q, k, v, g, noSelf);
        Tensor all = Fla.naiveLogLinearAttn(q, k, v, g, ones);
        for (int t = 0; t < t64; t++) {
            for (int y = 0; y < V; y++) {
                int at = (t * 2) * V + y;
                double self = 0;
                for (int x = 0; x < K; x++) {
                    self += q.data()[t * 2 * K + x] * k.data()[t * 2 * K + x];
                }
                assertEquals(all.data()[at] - self * v.data()[t * 2 * V + y], without.data()[at], TOL);
            }
        }
        assertThrows(UnrollException.class, () -> Fla.naiveLogLinearAttn(q, k, v, g, Tensor.zeros(1, t64, 2, 6)));
    }

    /** DeltaProduct with one Householder step is gated DeltaNet with scale 1; its scale argument is ignored. */
    @Test
    void deltaProductWithOneStepIsGatedDeltaNetWithScaleOne() {
        Random r = new Random(4);
        Tensor q = rand(r, 1, B, T, H, K);
        Tensor k = l2(rand(r, 1, B, T, H, K), K);
        Tensor v = rand(r, 1, B, T, H, V);
        Tensor beta = sigmoid(rand(r, 1, B, T, H));
        Tensor g = logDecay(r, B, T, H);
        Tensor h0 = rand(r, 1, B, H, K, V);
        Result gdn = Fla.naiveRecurrentGatedDeltaRule(q, k, v, beta, g, 1.0, h0, true, null);
        Result dp = Fla.naiveRecurrentGatedDeltaProduct(q, k, v, g, beta, 0.123, null, h0, true, 1);
        close(gdn.o(), dp.o());
        close(gdn.finalState(), dp.finalState());
    }

    /** DeltaNet (head-first, no gate, K^-1/2) against gated DeltaNet with g = 0 in [B, T, H, *]; a 1x1 case by hand. */
    @Test
    void deltaRuleIsGatedDeltaWithoutDecayAndMatchesAHandWorkedCase() {
        Random r = new Random(5);
        Tensor q = rand(r, 1, B, H, T, K);
        Tensor k = rand(r, 0.5, B, H, T, K);
        Tensor v = rand(r, 1, B, H, T, V);
        Tensor beta = sigmoid(rand(r, 1, B, H, T));
        Result dn = Fla.deltaRuleRecurrence(q, k, v, beta, null, true);
        Tensor betaBtH = Tensor.zeros(B, T, H);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int t = 0; t < T; t++) {
                    betaBtH.data()[(b * T + t) * H + h] = beta.data()[(b * H + h) * T + t];
                }
            }
        }
        Result gdn = Fla.naiveRecurrentGatedDeltaRule(toBtH(q), toBtH(k), toBtH(v), betaBtH, Tensor.zeros(B, T, H), null, null, true, null);
        close(toBtH(dn.o()), gdn.o());
        close(dn.finalState(), gdn.finalState());
        // K = V = 1: S1 = b1 v1 k1^2... by hand: S_1 = beta1 k1 v1, S_2 = S_1 + k2 beta2 (v2 - S_1 k2)
        Tensor q1 = Tensor.of(new float[] {1, 1}, 1, 1, 2, 1);
        Tensor k1 = Tensor.of(new float[] {2, 3}, 1, 1, 2, 1);
        Tensor v1 = Tensor.of(new float[] {5, 7}, 1, 1, 2, 1);
        Tensor b1 = Tensor.of(new float[] {0.5f, 0.25f}, 1, 1, 2);
        Result hand = Fla.deltaRuleRecurrence(q1, k1, v1, b1, null, true);
        double s1 = 0.5 * 2 * 5;
        double s2 = s1 + 3 * 0.25 * (7 - s1 * 3);
        assertEquals(s1, hand.o().data()[0], 1e-6);
        assertEquals(s2, hand.o().data()[1], 1e-6);
        assertEquals(s2, hand.finalState().data()[0], 1e-6);
    }

    /** RWKV-7 (value-major state) is DPLR with q = r sqrt(K), gk = -exp(w), alpha = a, beta = b and the state transposed. */
    @Test
    void rwkv7IsDplrWithTheDocumentedMapping() {
        Random r = new Random(6);
        Tensor rr = rand(r, 1, B, H, T, K);
        Tensor k = rand(r, 0.5, B, H, T, K);
        Tensor v = rand(r, 1, B, H, T, V);
        Tensor w = rand(r, 0.5, B, H, T, K);
        Tensor kk = l2(rand(r, 1, B, H, T, K), K);
        Tensor a = Tensor.zeros(B, H, T, K);
        Tensor bb = Tensor.zeros(B, H, T, K);
        for (int i = 0; i < a.data().length; i++) {
            a.data()[i] = -kk.data()[i];
            bb.data()[i] = kk.data()[i] * 0.7f;
        }
        Tensor h0 = rand(r, 1, B, H, V, K);
        Result rwkv = Fla.naiveRecurrentRwkv7(rr, k, v, w, a, bb, 1.0, h0, true);
        Tensor q = Tensor.zeros(B, H, T, K);
        Tensor gk = Tensor.zeros(B, H, T, K);
        for (int i = 0; i < q.data().length; i++) {
            q.data()[i] = (float) (rr.data()[i] * Math.sqrt(K));
            gk.data()[i] = (float) -Math.exp(w.data()[i]);
        }
        Result dplr = Fla.dplrRecurrence(q, k, v, a, bb, gk, transpose(h0), true);
        close(rwkv.o(), dplr.o());
        close(transpose(rwkv.finalState()), dplr.finalState());
        // IPLR is DPLR with no decay
        close(Fla.iplrRecurrence(q, k, v, a, bb, null, false).o(), Fla.dplrRecurrence(q, k, v, a, bb, Tensor.zeros(B, H, T, K), null, false).o());
    }

    /** Packed sequences (cu_seqlens) give what separate calls give, each from its own initial state. */
    @Test
    void packedSequencesEqualSeparateCalls() {
        Random r = new Random(7);
        int[] cu = {0, 3, 3, 11};
        Tensor q = rand(r, 1, 1, T, H, K);
        Tensor k = l2(rand(r, 1, 1, T, H, K), K);
        Tensor v = rand(r, 1, 1, T, H, V);
        Tensor beta = sigmoid(rand(r, 1, 1, T, H));
        Tensor g = logDecay(r, 1, T, H);
        Tensor h0 = rand(r, 1, 3, H, K, V);
        Result packed = Fla.naiveRecurrentGatedDeltaRule(q, k, v, beta, g, null, h0, true, cu);
        assertArrayEquals(new int[] {3, H, K, V}, packed.finalState().shape());
        for (int n = 0; n < 3; n++) {
            int len = cu[n + 1] - cu[n];
            Result alone = Fla.naiveRecurrentGatedDeltaRule(slice(q, cu[n], len), slice(k, cu[n], len), slice(v, cu[n], len),
                    slice(beta, cu[n], len), slice(g, cu[n], len), null, row(h0, n), true, null);
            close(alone.o(), slice(packed.o(), cu[n], len));
            close(alone.finalState(), row(packed.finalState(), n));
        }
        assertThrows(UnrollException.class, () -> Fla.naiveRecurrentGatedDeltaRule(q, k, v, beta, g, null, h0, true, new int[] {0, 5}));
    }

    /** Linear attention, normalised, against its parallel form; HGRN against h_t = sum_j exp(G_t - G_j) x_j. */
    @Test
    void linearAttentionAndHgrnEqualTheirParallelForms() {
        Random r = new Random(8);
        Tensor q = rand(r, 1, 1, T, 1, K);
        Tensor k = rand(r, 1, 1, T, 1, K);
        Tensor v = rand(r, 1, 1, T, 1, V);
        Tensor o = Fla.naiveRecurrentLinearAttn(q, k, v, null, null, false, true).o();
        double s = 1 / Math.sqrt(K);
        for (int t = 0; t < T; t++) {
            double den = 1e-10;
            double[] num = new double[V];
            for (int j = 0; j <= t; j++) {
                double qk = 0;
                for (int x = 0; x < K; x++) {
                    qk += s * q.data()[t * K + x] * k.data()[j * K + x];
                }
                den += qk;
                for (int y = 0; y < V; y++) {
                    num[y] += qk * v.data()[j * V + y];
                }
            }
            for (int y = 0; y < V; y++) {
                assertEquals(num[y] / den, o.data()[t * V + y], 1e-4 * Math.max(1, Math.abs(num[y] / den)));
            }
        }
        Tensor x = rand(r, 1, B, T, V);
        Tensor g = logDecay(r, B, T, V);
        Result h = Fla.naiveRecurrentHgrn(x, g, null, true);
        for (int b = 0; b < B; b++) {
            for (int d = 0; d < V; d++) {
                for (int t = 0; t < T; t++) {
                    double acc = 0;
                    double cum = 0;
                    for (int j = t; j >= 0; j--) {
                        acc += Math.exp(cum) * x.data()[(b * T + j) * V + d];
                        cum += g.data()[(b * T + j) * V + d];
                    }
                    assertEquals(acc, h.o().data()[(b * T + t) * V + d], TOL);
                }
                assertEquals(h.o().data()[(b * T + T - 1) * V + d], h.finalState().data()[b * V + d], 0);
            }
        }
    }

    /** mLSTM with eps = 0 against the unstabilised form: the stabiliser m cancels exactly. */
    @Test
    void mlstmEqualsItsUnstabilisedForm() {
        Random r = new Random(9);
        Tensor q = rand(r, 1, B, H, T, K);
        Tensor k = rand(r, 1, B, H, T, K);
        Tensor v = rand(r, 1, B, H, T, V);
        Tensor i = rand(r, 1, B, H, T);
        Tensor f = rand(r, 1, B, H, T);
        Fla.MlstmResult res = Fla.mlstmRecurrentSequence(q, k, v, i, f, null, null, null, true, 0);
        double sq = 1 / Math.sqrt(K);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                double[] c = new double[K * V];
                double[] n = new double[K];
                for (int t = 0; t < T; t++) {
                    int g0 = (b * H + h) * T + t;
                    double fg = 1 / (1 + Math.exp(-f.data()[g0]));
                    double ig = Math.exp(i.data()[g0]);
                    double qn = 0;
                    for (int x = 0; x < K; x++) {
                        double kx = k.data()[g0 * K + x];
                        n[x] = fg * n[x] + ig * kx;
                        qn += sq * q.data()[g0 * K + x] * n[x];
                        for (int y = 0; y < V; y++) {
                            c[x * V + y] = fg * c[x * V + y] + ig * kx * v.data()[g0 * V + y];
                        }
                    }
                    for (int y = 0; y < V; y++) {
                        double num = 0;
                        for (int x = 0; x < K; x++) {
                            num += sq * q.data()[g0 * K + x] * c[x * V + y];
                        }
                        double want = num / Math.max(Math.abs(qn), 1);
                        assertEquals(want, res.h().data()[g0 * V + y], 1e-5 * Math.max(1, Math.abs(want)));
                    }
                }
            }
        }
        assertArrayEquals(new int[] {B, H}, res.m().shape());
        assertNull(Fla.mlstmRecurrentSequence(q, k, v, i, f, null, null, null, false, 1e-6).c());
    }

    @Test
    void shapesAreCheckedByName() {
        Tensor q = Tensor.zeros(1, 2, 1, K);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Fla.naiveRecurrentGla(q, Tensor.zeros(1, 2, 1, K + 1), Tensor.zeros(1, 2, 1, V), Tensor.zeros(1, 2, 1, K), null, false, null));
        assertTrue(e.getMessage().contains("'naive_recurrent_gla: k'"), e.getMessage());
        assertThrows(UnrollException.class, () -> Tensor.of(new float[3], 2, 2));
    }

    // ------------------------------------------------------------------ helpers

    static Tensor toBtH(Tensor headFirst) {
        int b0 = headFirst.dim(0);
        int h0 = headFirst.dim(1);
        int t0 = headFirst.dim(2);
        int w = headFirst.dim(3);
        Tensor out = Tensor.zeros(b0, t0, h0, w);
        for (int b = 0; b < b0; b++) {
            for (int h = 0; h < h0; h++) {
                for (int t = 0; t < t0; t++) {
                    System.arraycopy(headFirst.data(), ((b * h0 + h) * t0 + t) * w, out.data(), ((b * t0 + t) * h0 + h) * w, w);
                }
            }
        }
        return out;
    }

    static Tensor transpose(Tensor s) {
        int b0 = s.dim(0);
        int h0 = s.dim(1);
        int r0 = s.dim(2);
        int c0 = s.dim(3);
        Tensor out = Tensor.zeros(b0, h0, c0, r0);
        for (int bh = 0; bh < b0 * h0; bh++) {
            for (int i = 0; i < r0; i++) {
                for (int j = 0; j < c0; j++) {
                    out.data()[(bh * c0 + j) * r0 + i] = s.data()[(bh * r0 + i) * c0 + j];
                }
            }
        }
        return out;
    }

    static Tensor l2(Tensor t, int w) {
        for (int i = 0; i < t.data().length; i += w) {
            double n = 0;
            for (int x = 0; x < w; x++) {
                n += t.data()[i + x] * t.data()[i + x];
            }
            for (int x = 0; x < w; x++) {
                t.data()[i + x] = (float) (t.data()[i + x] / Math.sqrt(n));
            }
        }
        return t;
    }

    static Tensor sigmoid(Tensor t) {
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) (1 / (1 + Math.exp(-t.data()[i])));
        }
        return t;
    }

    /** Tokens [t0, t0 + len) of a [1, T, ...] tensor. */
    static Tensor slice(Tensor t, int t0, int len) {
        int per = t.data().length / t.dim(1);
        int[] shape = t.shape().clone();
        shape[1] = len;
        float[] d = java.util.Arrays.copyOfRange(t.data(), t0 * per, (t0 + len) * per);
        return new Tensor(d, shape);
    }

    /** Row n of a [N, ...] tensor, as [1, ...]. */
    static Tensor row(Tensor t, int n) {
        int per = t.data().length / t.dim(0);
        int[] shape = t.shape().clone();
        shape[0] = 1;
        return new Tensor(java.util.Arrays.copyOfRange(t.data(), n * per, (n + 1) * per), shape);
    }
}

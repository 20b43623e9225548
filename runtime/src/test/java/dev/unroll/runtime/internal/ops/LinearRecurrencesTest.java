package dev.unroll.runtime.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.internal.random.Xorshift64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Cross-checks between the recurrence ops: each identity holds exactly in exact arithmetic. */
class LinearRecurrencesTest {
    static final int T = 70;
    static final int H = 3;
    static final int K = 5;
    static final int V = 4;
    final Dims d = new Dims(T, H, K, V);

    static double[] random(long seed, int n, double scale) {
        Xorshift64 r = new Xorshift64(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * r.nextNormal();
        }
        return a;
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void logLinearWithUnitLambdasIsUndecayedLinearAttention() {
        // The Fenwick levels tile the prefix, so sum over levels of S^(l) = sum_j k_j v_j^T.
        double[] q = random(1, T * H * K, 1);
        double[] k = random(2, T * H * K, 1);
        double[] v = random(3, T * H * V, 1);
        int levels = 8;
        double[] oLog = new double[T * H * V];
        LinearRecurrences.logLinear(d, levels, 0.5, q, k, v, filled(T * H * levels, 1), new double[H * levels * K * V], new long[1], oLog);
        double[] oLin = new double[T * H * V];
        LinearRecurrences.decay(d, 0.5, q, k, v, filled(T * H, 1), new double[d.stateSize()], oLin);
        Tolerance.assertScaled(oLin, oLog, 1e-13, "log-linear with lambda = 1");
    }

    @Test
    void logLinearOverflowFoldsIntoTheTopLevel() {
        // With 2 levels the counter overflows after 3 tokens; the sum over levels stays the full prefix sum.
        Dims small = new Dims(T, H, K, V);
        double[] q = random(4, T * H * K, 1);
        double[] k = random(5, T * H * K, 1);
        double[] v = random(6, T * H * V, 1);
        double[] oLog = new double[T * H * V];
        long[] mask = new long[1];
        LinearRecurrences.logLinear(small, 2, 1, q, k, v, filled(T * H * 2, 1), new double[H * 2 * K * V], mask, oLog);
        double[] oLin = new double[T * H * V];
        LinearRecurrences.decay(small, 1, q, k, v, filled(T * H, 1), new double[small.stateSize()], oLin);
        Tolerance.assertScaled(oLin, oLog, 1e-13, "log-linear after overflow");
    }

    @Test
    void deltaProductWithOneStepIsTheGatedDeltaRule() {
        double[] q = random(7, T * H * K, 1);
        double[] k = random(8, T * H * K, 1);
        LinearRecurrences.l2normalise(k, T * H, K);
        double[] v = random(9, T * H * V, 1);
        double[] a = random(10, T * H, 0.1);
        double[] beta = random(11, T * H, 0.1);
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.9 + a[i];
            beta[i] = 0.5 + beta[i];
        }
        double[] o1 = new double[T * H * V];
        double[] s1 = new double[d.stateSize()];
        LinearRecurrences.delta(d, 1, q, k, v, a, beta, s1, o1);
        double[] o2 = new double[T * H * V];
        double[] s2 = new double[d.stateSize()];
        LinearRecurrences.deltaProduct(d, 1, 1, q, k, v, a, beta, s2, o2);
        assertArrayEquals(o1, o2, 0.0, "same arithmetic, same bits");
        assertArrayEquals(s1, s2, 0.0);
    }

    @Test
    void dplrWithoutDecayOrLowRankIsLinearAttention() {
        double[] q = random(12, T * H * K, 1);
        double[] k = random(13, T * H * K, 1);
        double[] v = random(14, T * H * V, 1);
        double[] o1 = new double[T * H * V];
        LinearRecurrences.dplr(d, 1, q, k, v, filled(T * H * K, 1), random(15, T * H * K, 1), new double[T * H * K],
                new double[d.stateSize()], o1);
        double[] o2 = new double[T * H * V];
        LinearRecurrences.decay(d, 1, q, k, v, filled(T * H, 1), new double[d.stateSize()], o2);
        assertArrayEquals(o2, o1, 0.0);
    }

    @Test
    void vectorDecayWithEqualChannelsIsScalarDecay() {
        double[] q = random(16, T * H * K, 1);
        double[] k = random(17, T * H * K, 1);
        double[] v = random(18, T * H * V, 1);
        double[] a = new double[T * H];
        double[] alpha = new double[T * H * K];
        Xorshift64 r = new Xorshift64(19);
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.5 + 0.5 * r.nextUniform();
            Arrays.fill(alpha, i * K, i * K + K, a[i]);
        }
        double[] o1 = new double[T * H * V];
        LinearRecurrences.decay(d, 1, q, k, v, a, new double[d.stateSize()], o1);
        double[] o2 = new double[T * H * V];
        LinearRecurrences.decayVector(d, 1, q, k, v, alpha, new double[d.stateSize()], o2);
        assertArrayEquals(o1, o2, 0.0);
    }

    @Test
    void wrongLayoutsNameTheArgument() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> LinearRecurrences.decay(d, 1, new double[T * H * K],
                new double[T * H * K], new double[T * H * V], new double[T * H + 1], new double[d.stateSize()], new double[T * H * V]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("'a': expected shape [70, 3]"), e.getMessage());
    }

    /** A null gate (or input gate) is 1 in every op, the same way: equal to passing all ones. */
    @Test
    void nullGatesAreOnesInEveryOp() {
        double[] q = random(21, T * H * K, 1);
        double[] k = random(22, T * H * K, 1);
        double[] v = random(23, T * H * V, 1);
        double[] ones = new double[T * H * K];
        Arrays.fill(ones, 1);
        double[] o1 = new double[T * H * V];
        double[] o2 = new double[T * H * V];
        LinearRecurrences.decay(d, 0.5, q, k, v, null, new double[d.stateSize()], o1);
        LinearRecurrences.decay(d, 0.5, q, k, v, Arrays.copyOf(ones, T * H), new double[d.stateSize()], o2);
        assertArrayEquals(o2, o1, 0.0);
        LinearRecurrences.decayVector(d, 0.5, q, k, v, null, new double[d.stateSize()], o1);
        LinearRecurrences.decayVector(d, 0.5, q, k, v, ones, new double[d.stateSize()], o2);
        assertArrayEquals(o2, o1, 0.0);
        double[] x = random(24, T * 6, 1);
        double[] a = random(25, T * 6, 0.5);
        double[] e1 = new double[T * 6];
        double[] e2 = new double[T * 6];
        LinearRecurrences.elementwise(T, 6, a, null, x, new double[6], e1);
        double[] b = new double[T * 6];
        Arrays.fill(b, 1);
        LinearRecurrences.elementwise(T, 6, a, b, x, new double[6], e2);
        assertArrayEquals(e2, e1, 0.0);
    }
}

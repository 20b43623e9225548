package dev.unroll.runtime.fla;

import static dev.unroll.runtime.Hostile.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.Hostile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fla API's argument checks: a required gate passed as null is an error, not "no decay"; wrong
 * ranks, nulls, non-finite values, sizes beyond the memory budget and quadratic work beyond its bound
 * are one clean {@code UnrollException} naming the op and the argument, never a raw exception, an
 * out-of-memory error or a hang; a tensor's shape cannot be changed after construction.
 */
class FlaArgumentsTest {
    static Tensor t(int... shape) {
        Tensor x = Tensor.zeros(shape);
        Random r = new Random(shape.length * 31L + shape[shape.length - 1]);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) (0.5 * r.nextGaussian());
        }
        return x;
    }

    static Tensor fill(float value, int... shape) {
        Tensor x = Tensor.zeros(shape);
        java.util.Arrays.fill(x.data(), value);
        return x;
    }

    static List<Hostile.Case> cases() {
        Tensor q = t(1, 3, 2, 4);
        Tensor v = t(1, 3, 2, 5);
        Tensor g = t(1, 3, 2);
        Tensor qh = t(1, 2, 3, 4);
        Tensor vh = t(1, 2, 3, 5);
        Tensor rank3 = t(3, 2, 4);
        Tensor nan = t(1, 3, 2, 4);
        nan.data()[7] = Float.NaN;
        List<Hostile.Case> c = new ArrayList<>(List.of(
                rejects("naive_recurrent_gla with gk null", "naive_recurrent_gla: gk is null: it is a required argument",
                        () -> Fla.naiveRecurrentGla(q, q, v, null, null, false, null)),
                rejects("naive_recurrent_simple_gla with g null", "naive_recurrent_simple_gla: g is null",
                        () -> Fla.naiveRecurrentSimpleGla(q, q, v, null, null, null, false, null)),
                rejects("naive_recurrent_gated_delta_rule with g null", "naive_recurrent_gated_delta_rule: g is null",
                        () -> Fla.naiveRecurrentGatedDeltaRule(q, q, v, g, null, null, null, false, null)),
                rejects("dplr_recurrence with gk null", "dplr_recurrence: gk is null",
                        () -> Fla.dplrRecurrence(qh, qh, vh, qh, qh, null, null, false)),
                rejects("a rank-3 q", "naive_recurrent_gla: q has shape [3, 2, 4] (rank 3); the op takes it as [B, T, H, K] (rank 4)",
                        () -> Fla.naiveRecurrentGla(rank3, q, v, q, null, false, null)),
                rejects("a rank-3 v", "v has shape [3, 2, 4] (rank 3)", () -> Fla.naiveRetention(qh, qh, rank3)),
                rejects("a rank-3 level_scales", "level_scales has shape [3, 2, 4] (rank 3)", () -> Fla.naiveLogLinearAttn(q, q, v, g, rank3)),
                rejects("a rank-4 beta", "beta has shape [1, 2, 3, 4] (rank 4)", () -> Fla.deltaRuleRecurrence(qh, qh, vh, qh, null, false)),
                rejects("a rank-3 x", "naive_recurrent_hgrn: x has shape", () -> Fla.naiveRecurrentHgrn(q, g, null, false)),
                rejects("mLSTM with i null", "mlstm_recurrent_sequence__native_fw: i is null", () -> Fla.mlstmRecurrentSequence(qh, qh, vh, null,
                        t(1, 2, 3), null, null, null, false, 1e-6)),
                rejects("rwkv7 with r null", "naive_recurrent_rwkv7: r is null", () -> Fla.naiveRecurrentRwkv7(null, qh, vh, qh, qh, qh, null, null,
                        false)),
                rejects("iplr with alpha null", "iplr_recurrence: alpha is null", () -> Fla.iplrRecurrence(qh, qh, vh, null, qh, null, false)),
                rejects("retention with q null", "naive_retention: q is null", () -> Fla.naiveRetention(null, qh, vh)),
                rejects("gated DeltaProduct with beta null", "beta is null", () -> Fla.naiveRecurrentGatedDeltaProduct(q, q, v, g, null, null, null,
                        null, false, 1)),
                rejects("a NaN in q", "naive_recurrent_gla: q[0, 0, 1, 3] is NaN: inputs must be finite",
                        () -> Fla.naiveRecurrentGla(nan, q, v, q, null, false, null)),
                rejects("a NaN scale", "scale = NaN: must be finite", () -> Fla.naiveRecurrentSimpleGla(q, q, v, g, Double.NaN, null, false, null)),
                rejects("K = 0", "K = 0: must be >= 1", () -> Fla.naiveRecurrentLinearAttn(Tensor.zeros(1, 3, 2, 0), Tensor.zeros(1, 3, 2, 0), v,
                        null, null, false, false)),
                rejects("a decay that overflows", "o[0, ", () -> Fla.naiveRecurrentSimpleGla(q, q, v, fill(300f, 1, 3, 2), null, null, false, null)),
                rejects("num_householder 2^30 (T x nh overflows)", "are needed", () -> Fla.naiveRecurrentGatedDeltaProduct(q, q, v, g, g, null, null,
                        null, false, 1 << 30)),
                rejects("cu_seqlens that stop short of T", "cu_seqlens [0, 2] must run from 0 to T = 3",
                        () -> Fla.naiveRecurrentGla(q, q, v, q, null, false, new int[] {0, 2})),
                rejects("Tensor.zeros(65536, 65536)", "more than one Java array holds", () -> Tensor.zeros(65536, 65536)),
                rejects("a tensor with a null shape", "shape is null", () -> new Tensor(new float[1], null)),
                rejects("axis 4 of a rank-4 tensor", "axis 4 of a tensor of shape [1, 3, 2, 4]", () -> q.dim(4)),
                rejects("K = V = 46341 from 92,682 floats (a state of more than 2^31 values)", "more than one Java array holds",
                        () -> Fla.naiveRecurrentGla(t(1, 1, 1, 46341), t(1, 1, 1, 46341), t(1, 1, 1, 46341), t(1, 1, 1, 46341), null, false, null)),
                rejects("K = V = 20000 from 80,000 floats (a 3.2 GB state)", "memory budget",
                        () -> Fla.naiveRecurrentGla(t(1, 1, 1, 20000), t(1, 1, 1, 20000), t(1, 1, 1, 20000), t(1, 1, 1, 20000), null, false, null)),
                rejects("naive_log_linear_attn at T = 200,000 (quadratic work)", "multiply-adds", () -> {
                    int n = 200_000;
                    Fla.naiveLogLinearAttn(t(1, n, 1, 1), t(1, n, 1, 1), t(1, n, 1, 1), t(1, n, 1), fill(1f, 1, n, 1, 19));
                })));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCaseIsOneCleanError(Hostile.Case c) {
        String saved = System.getProperty("unroll.maxBytes");
        System.setProperty("unroll.maxBytes", "1g");
        try {
            Hostile.check(c);
        } finally {
            if (saved == null) {
                System.clearProperty("unroll.maxBytes");
            } else {
                System.setProperty("unroll.maxBytes", saved);
            }
        }
    }

    /** A tensor's shape is its own: changing the array given or returned changes nothing, and ops see the whole tensor. */
    @Test
    void theShapeIsCopiedInAndOut() {
        Tensor q = t(1, 3, 2, 4);
        Tensor v = t(1, 3, 2, 5);
        Tensor gk = t(1, 3, 2, 4);
        Result before = Fla.naiveRecurrentGla(q, q, v, gk, null, true, null);
        int[] given = {1, 3, 2, 4};
        Tensor mine = new Tensor(q.data(), given);
        given[1] = 1;
        mine.shape()[1] = 1;
        assertArrayEquals(new int[] {1, 3, 2, 4}, mine.shape());
        assertEquals(3, mine.dim(1));
        Result after = Fla.naiveRecurrentGla(mine, q, v, gk, null, true, null);
        assertEquals(before.o(), after.o());
        assertEquals(before.finalState(), after.finalState());
    }

    /**
     * RWKV-7's scale is a nullable {@code Double} like every other op's: null is fla's default for
     * this op (1.0), -1 is K^-1/2 as in fla, and any other value is the scale itself.
     */
    @Test
    void rwkv7TakesANullableScaleAsTheOtherOpsDo() {
        Tensor r = t(1, 2, 3, 4);
        Tensor k = t(1, 2, 3, 4);
        Tensor v = t(1, 2, 3, 5);
        Tensor w = t(1, 2, 3, 4);
        Tensor a = fill(-0.1f, 1, 2, 3, 4);
        Tensor b = fill(0.05f, 1, 2, 3, 4);
        Result byDefault = Fla.naiveRecurrentRwkv7(r, k, v, w, a, b, null, null, true);
        Result one = Fla.naiveRecurrentRwkv7(r, k, v, w, a, b, 1.0, null, true);
        assertEquals(one.o(), byDefault.o());
        assertEquals(one.finalState(), byDefault.finalState());
        Result minusOne = Fla.naiveRecurrentRwkv7(r, k, v, w, a, b, -1.0, null, true);
        Result inverseRoot = Fla.naiveRecurrentRwkv7(r, k, v, w, a, b, 1 / Math.sqrt(4), null, true);
        assertEquals(inverseRoot.o(), minusOne.o());
        Result half = Fla.naiveRecurrentRwkv7(r, k, v, w, a, b, 0.25, null, true);
        assertEquals(0.25f * one.o().data()[7], half.o().data()[7], 1e-6f * Math.abs(one.o().data()[7]) + 1e-7f, "o is linear in the scale");
    }

    /** mlstm_kernels keeps m as [B, H, 1] and n as [B, H, K, 1]: both layouts give the same result. */
    @Test
    void mlstmTakesTheStabiliserAndNormaliserInEitherLayout() {
        Tensor q = t(1, 2, 3, 4);
        Tensor v = t(1, 2, 3, 5);
        Tensor i = t(1, 2, 3);
        Tensor c0 = t(1, 2, 4, 5);
        Tensor n0 = t(1, 2, 4);
        Tensor m0 = t(1, 2);
        Fla.MlstmResult a = Fla.mlstmRecurrentSequence(q, q, v, i, i, c0, n0, m0, true, 1e-6);
        Fla.MlstmResult b = Fla.mlstmRecurrentSequence(q, q, v, i, i, c0, Tensor.of(n0.data(), 1, 2, 4, 1), Tensor.of(m0.data(), 1, 2, 1), true, 1e-6);
        assertEquals(a.h(), b.h());
        assertEquals(a.c(), b.c());
    }
}

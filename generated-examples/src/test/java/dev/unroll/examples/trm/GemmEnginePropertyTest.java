package dev.unroll.examples.trm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.codegen.GeneratedTrm;
import dev.unroll.runtime.codegen.PackedMatrix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SIMD flavour's GEMM engine against the scalar flavour's GEMM (each element summed in order),
 * on the seed TRM's channel-MLP projections, for every weight format: random row ranges and column
 * ranges (unaligned starts, partial panels, ranges narrower than a tile), each element within the
 * error bound of a dot product of its depth, and nothing written outside the range.
 */
class GemmEnginePropertyTest {
    private static final int H = SudokuTrmKernels.H;
    private static final int I = SudokuTrmKernels.MLP_I;
    private static final int ROWS = 40;

    /** {@code |x - y| <= 4 depth u sum |a||b|}: twice the standard bound of two summation orders. */
    private static final double U = Math.ulp(1.0f) / 2;

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void simdGemmEqualsTheScalarGemmOnRandomRanges(WeightFormat format) {
        Random r = new Random(21 + format.ordinal());
        float[] w = new float[2 * I * H];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(H));
        }
        float[] a = new float[ROWS * H];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        // the weights as each flavour reads them; compact formats are one layout for both
        PackedMatrix scalarW = format == WeightFormat.F32 ? PackedMatrix.of(GeneratedTrm.transpose(w, 2 * I, H))
                : PackedMatrix.pack("w", w, 2 * I, H, format, false);
        PackedMatrix simdW = format == WeightFormat.F32 ? PackedMatrix.of(PackedMatrix.f32Panels(w, 2 * I, H)) : scalarW;
        float[] effective = effectiveWeights(w, format);
        for (int trial = 0; trial < 40; trial++) {
            int r0 = r.nextInt(ROWS);
            int r1 = r0 + 1 + r.nextInt(ROWS - r0);
            if (trial % 5 == 1) {
                // 7 or 8 rows: the one-pass tiles of a few rows
                r0 = r.nextInt(ROWS - 7);
                r1 = r0 + 7 + trial % 2;
            }
            int n0 = trial % 4 == 0 ? 64 * r.nextInt(2 * I / 64) : r.nextInt(2 * I);
            int n1 = n0 + 1 + r.nextInt(Math.min(2 * I - n0, trial % 3 == 0 ? 70 : 2 * I));
            float[] expected = sentinel();
            float[] actual = sentinel();
            up(format, false, scalarW, a, expected, r0, r1, n0, n1);
            up(format, true, simdW, a, actual, r0, r1, n0, n1);
            String where = format + " rows [" + r0 + ", " + r1 + ") columns [" + n0 + ", " + n1 + ")";
            for (int i = 0; i < ROWS; i++) {
                for (int n = 0; n < 2 * I; n++) {
                    int at = i * 2 * I + n;
                    boolean inside = i >= r0 && i < r1 && n >= n0 && n < n1;
                    if (!inside) {
                        assertTrue(Float.isNaN(actual[at]), where + ": wrote C[" + i + "][" + n + "] outside its range");
                        continue;
                    }
                    double bound = 0;
                    for (int p = 0; p < H; p++) {
                        bound += Math.abs(a[i * H + p] * effective[n * H + p]);
                    }
                    bound *= 4 * H * U;
                    double diff = Math.abs(actual[at] - expected[at]);
                    if (diff > bound) {
                        assertEquals(expected[at], actual[at], bound, where + ": C[" + i + "][" + n + "]");
                    }
                }
            }
        }
    }

    private static float[] sentinel() {
        float[] c = new float[ROWS * 2 * I];
        java.util.Arrays.fill(c, Float.NaN);
        return c;
    }

    /** The weights a format holds (F32 exactly; compact ones after rounding), for the error bound. */
    private static float[] effectiveWeights(float[] w, WeightFormat format) {
        if (format == WeightFormat.F32) {
            return w;
        }
        // the bound only needs magnitudes: a compact weight is within its block's scale of the original
        float[] e = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            e[i] = Math.abs(w[i]) * 1.01f + (format == WeightFormat.Q8 ? 0.02f : format == WeightFormat.Q4 ? 0.2f : 0f);
        }
        return e;
    }

    private static void up(WeightFormat format, boolean simd, PackedMatrix w, float[] a, float[] c, int r0, int r1, int n0, int n1) {
        switch (format) {
            case F32 -> {
                if (simd) {
                    SudokuTrmSimdKernels.mlpUp(w.f32, a, c, r0, r1, n0, n1);
                } else {
                    SudokuTrmKernels.mlpUp(w.f32, a, c, r0, r1, n0, n1);
                }
            }
            case BF16 -> {
                if (simd) {
                    SudokuTrmBf16SimdKernels.mlpUp(w.bf16, a, c, r0, r1, n0, n1);
                } else {
                    SudokuTrmBf16Kernels.mlpUp(w.bf16, a, c, r0, r1, n0, n1);
                }
            }
            case Q8 -> {
                if (simd) {
                    SudokuTrmQ8SimdKernels.mlpUp(w.q8, w.scales, a, c, r0, r1, n0, n1);
                } else {
                    SudokuTrmQ8Kernels.mlpUp(w.q8, w.scales, a, c, r0, r1, n0, n1);
                }
            }
            case Q4 -> {
                if (simd) {
                    SudokuTrmQ4SimdKernels.mlpUp(w.q4, w.scales, a, c, r0, r1, n0, n1);
                } else {
                    SudokuTrmQ4Kernels.mlpUp(w.q4, w.scales, a, c, r0, r1, n0, n1);
                }
            }
        }
    }
}

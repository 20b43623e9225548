package dev.unroll.bench.roofline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two forms of {@link Q8DotBenchmark} compute what they claim: the widen-to-float form the
 * product of the codes' values and the F32 activations; the int8 form exactly the product of the
 * codes and the activations quantised per block of 32 (no 16-bit overflow, even at code -128), which
 * stays within 1 % (relative L2) of the F32 product on Gaussian activations.
 */
class Q8DotBenchmarkTest {
    @ParameterizedTest
    @ValueSource(ints = {64, 768})
    void bothFormsComputeTheirProduct(int n) {
        Q8DotBenchmark.Matrix m = Q8DotBenchmark.Matrix.seeded(n, n, 3);
        float[] x = gaussian(n, 5);
        float[] widen = new float[n];
        Q8DotBenchmark.widen(m, x, widen);
        double[] exact = reference(m, x);
        for (int r = 0; r < n; r++) {
            assertEquals(exact[r], widen[r], 1e-4 * Math.max(1, Math.abs(exact[r])), "widen, row " + r);
        }

        byte[] xq = new byte[n];
        float[] xs = new float[n / Q8DotBenchmark.BLOCK];
        float[] int8 = new float[n];
        Q8DotBenchmark.int8(m, x, xq, xs, int8);
        double[] quantised = quantisedReference(m, xq, xs);
        for (int r = 0; r < n; r++) {
            assertEquals(quantised[r], int8[r], 1e-4 * Math.max(1, Math.abs(quantised[r])), "int8, row " + r);
        }
        double err = 0;
        double norm = 0;
        for (int r = 0; r < n; r++) {
            err += (int8[r] - exact[r]) * (int8[r] - exact[r]);
            norm += exact[r] * exact[r];
        }
        assertTrue(Math.sqrt(err / norm) < 0.01, "int8 relative L2 error " + Math.sqrt(err / norm));
    }

    /** Codes of -128 against activations that quantise to -127 and 127: the largest 16-bit pair sums. */
    @ParameterizedTest
    @ValueSource(floats = {1f, -1f})
    void theExtremeCodesDoNotOverflowSixteenBits(float sign) {
        int n = 64;
        byte[] codes = new byte[n * n];
        Arrays.fill(codes, (byte) -128);
        float[] scales = new float[n * (n / Q8DotBenchmark.BLOCK)];
        Arrays.fill(scales, 1f);
        Q8DotBenchmark.Matrix m = new Q8DotBenchmark.Matrix(n, n, codes, scales);
        float[] x = new float[n];
        Arrays.fill(x, sign);
        byte[] xq = new byte[n];
        float[] xs = new float[n / Q8DotBenchmark.BLOCK];
        float[] y = new float[n];
        Q8DotBenchmark.int8(m, x, xq, xs, y);
        for (int r = 0; r < n; r++) {
            assertEquals(-128.0 * sign * n, y[r], 1e-3, "row " + r);
        }
    }

    private static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static double[] reference(Q8DotBenchmark.Matrix m, float[] x) {
        double[] y = new double[m.rows()];
        for (int r = 0; r < m.rows(); r++) {
            for (int b = 0; b < m.cols() / Q8DotBenchmark.BLOCK; b++) {
                double part = 0;
                for (int c = b * Q8DotBenchmark.BLOCK; c < (b + 1) * Q8DotBenchmark.BLOCK; c++) {
                    part += m.code(r, c) * (double) x[c];
                }
                y[r] += part * m.scale(r, b);
            }
        }
        return y;
    }

    private static double[] quantisedReference(Q8DotBenchmark.Matrix m, byte[] xq, float[] xs) {
        double[] y = new double[m.rows()];
        for (int r = 0; r < m.rows(); r++) {
            for (int b = 0; b < m.cols() / Q8DotBenchmark.BLOCK; b++) {
                long part = 0;
                for (int c = b * Q8DotBenchmark.BLOCK; c < (b + 1) * Q8DotBenchmark.BLOCK; c++) {
                    part += m.code(r, c) * xq[c];
                }
                y[r] += part * (double) m.scale(r, b) * xs[b];
            }
        }
        return y;
    }
}

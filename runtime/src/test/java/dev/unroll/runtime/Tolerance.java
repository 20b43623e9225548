package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error checks the tests share: scaled ({@code max|actual - expected| <= tol * max|expected|})
 * and absolute; and the kernel flavours this JVM can run.
 */
public final class Tolerance {
    private Tolerance() {}

    /** @return the flavours to test: scalar, and SIMD when the Vector API module is present */
    public static java.util.List<Flavour> flavours() {
        return Flavour.vectorModulePresent() ? java.util.List.of(Flavour.SCALAR, Flavour.SIMD) : java.util.List.of(Flavour.SCALAR);
    }

    /**
     * @param expected reference values
     * @param actual computed values
     * @return {@code max|actual - expected|}
     */
    public static double maxAbs(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double m = 0;
        for (int i = 0; i < expected.length; i++) {
            m = Math.max(m, Math.abs(expected[i] - actual[i]));
        }
        return m;
    }

    /**
     * @param expected reference
     * @param actual computed
     * @param tol bound on the absolute error
     * @param what message
     */
    public static void assertAbs(float[] expected, float[] actual, double tol, String what) {
        double m = maxAbs(expected, actual);
        assertTrue(m <= tol, what + ": max abs error " + m + " > " + tol);
    }

    /**
     * @param expected reference values
     * @param actual computed values
     * @return max abs error divided by max abs reference (or by 1 when the reference is zero)
     */
    public static double scaledError(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double scale = 0;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        return err / (scale == 0 ? 1 : scale);
    }

    /**
     * @param expected reference
     * @param actual computed
     * @param tol bound on the scaled error
     * @param what message
     */
    public static void assertScaled(double[] expected, double[] actual, double tol, String what) {
        double e = scaledError(expected, actual);
        assertTrue(e <= tol, what + ": scaled error " + e + " > " + tol);
    }

    /** @param a floats @return as doubles */
    public static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** @param a array @param off offset @param len length @return the slice */
    public static double[] slice(double[] a, int off, int len) {
        double[] s = new double[len];
        System.arraycopy(a, off, s, 0, len);
        return s;
    }
}

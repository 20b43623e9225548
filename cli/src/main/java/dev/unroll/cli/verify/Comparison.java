package dev.unroll.cli.verify;

import java.util.Locale;

/**
 * One compared tensor: its errors against the expected values and the verdict.
 *
 * @param name the expected tensor's name
 * @param count elements compared
 * @param maxAbs largest absolute error
 * @param maxRel largest absolute error divided by the largest absolute expected value
 * @param tolerance the tolerance applied
 * @param pass whether it is within tolerance
 */
public record Comparison(String name, int count, double maxAbs, double maxRel, Tolerance tolerance, boolean pass) {
    /**
     * @param name tensor name
     * @param expected expected values
     * @param actual computed values
     * @param tol tolerance
     * @return the comparison (a length mismatch or a non-finite value fails)
     */
    public static Comparison of(String name, double[] expected, double[] actual, Tolerance tol) {
        dev.unroll.runtime.internal.Checks.notNull("Comparison.of: name", name);
        dev.unroll.runtime.internal.Checks.notNull("Comparison.of: expected", expected);
        dev.unroll.runtime.internal.Checks.notNull("Comparison.of: actual", actual);
        dev.unroll.runtime.internal.Checks.notNull("Comparison.of: tol", tol);
        if (expected.length == 0) {
            // nothing compared is not a pass
            throw new dev.unroll.runtime.UnrollException(name + " is empty: a golden file's expected tensors must hold values to check");
        }
        if (expected.length != actual.length) {
            return new Comparison(name + " (length " + actual.length + ", expected " + expected.length + ")", 0,
                    Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, tol, false);
        }
        double scale = 0;
        double err = 0;
        boolean finite = true;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double e = Math.abs(expected[i] - actual[i]);
            if (!Double.isFinite(actual[i]) || Double.isNaN(e)) {
                finite = false;
                e = Double.POSITIVE_INFINITY;
            }
            err = Math.max(err, e);
        }
        double rel = scale == 0 ? err : err / scale;
        return new Comparison(name, expected.length, err, rel, tol, finite && tol.accepts(err, rel));
    }

    /** @return a report line */
    public String line() {
        return String.format(Locale.ROOT, "  %-4s %-36s n=%-8d max abs %.3e  max rel %.3e  (tol %s)", pass ? "PASS" : "FAIL", name, count,
                maxAbs, maxRel, tolerance);
    }
}

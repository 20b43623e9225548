package dev.unroll.runtime.internal.random;

/**
 * Seeded initialisers. Each fills an array in order from one {@link Xorshift64} stream, so the
 * result is a pure function of the seed and the order of calls.
 */
public final class Init {
    private Init() {}

    /**
     * Fills with {@code std * N(0, 1)} (Box–Muller, one draw per element).
     *
     * @param rng the stream
     * @param out destination
     * @param std standard deviation
     */
    public static void normal(Xorshift64 rng, double[] out, double std) {
        for (int i = 0; i < out.length; i++) {
            out[i] = std * rng.nextNormal();
        }
    }

    /**
     * Fills with the JAX-style truncated normal that the TRM seed uses: uniform in
     * {@code [erf(lower/sqrt2), erf(upper/sqrt2))}, mapped through erfinv, scaled by
     * {@code sqrt2 * compStd} and clipped to {@code [lower, upper] * compStd}, where compStd
     * corrects the standard deviation for the truncation so that the result has std {@code std}.
     *
     * @param rng the stream
     * @param out destination
     * @param std target standard deviation (0 fills zeros)
     * @param lower lower truncation in standard deviations (the seed uses -2)
     * @param upper upper truncation in standard deviations (the seed uses 2)
     */
    public static void truncatedNormal(Xorshift64 rng, float[] out, double std, double lower, double upper) {
        if (std == 0) {
            java.util.Arrays.fill(out, 0f);
            return;
        }
        double sqrt2 = Math.sqrt(2);
        double a = SpecialFunctions.erf(lower / sqrt2);
        double b = SpecialFunctions.erf(upper / sqrt2);
        double z = (b - a) / 2;
        double c = 1 / Math.sqrt(2 * Math.PI);
        double pdfU = c * Math.exp(-0.5 * lower * lower);
        double pdfL = c * Math.exp(-0.5 * upper * upper);
        double compStd = std / Math.sqrt(1 - (upper * pdfU - lower * pdfL) / z - Math.pow((pdfU - pdfL) / z, 2));
        double lo = lower * compStd;
        double hi = upper * compStd;
        for (int i = 0; i < out.length; i++) {
            double u = a + (b - a) * rng.nextUniform();
            double x = SpecialFunctions.erfinv(u) * sqrt2 * compStd;
            out[i] = (float) Math.max(lo, Math.min(hi, x));
        }
    }
}

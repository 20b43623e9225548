package dev.unroll.runtime.internal.random;

/** erf and its inverse in double precision, for truncated-normal initialisation. */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;

    private SpecialFunctions() {}

    /**
     * The error function, accurate to a few ulps: a Taylor series for |x| &lt; 2.5, a continued
     * fraction for erfc beyond.
     *
     * @param x argument
     * @return erf(x)
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 2.5) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        double r = 1.0 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x &gt;= 2.5 by the Laplace continued fraction (modified Lentz). */
    private static double erfcLarge(double x) {
        if (x > 27) {
            return 0.0;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n * 0.5;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) * INV_SQRT_PI / f;
    }

    /**
     * The inverse error function on (-1, 1): an initial rational guess refined by Newton steps.
     *
     * @param y argument in (-1, 1)
     * @return x with erf(x) = y (±infinity at ±1)
     */
    public static double erfinv(double y) {
        if (y <= -1) {
            return y == -1 ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
        if (y >= 1) {
            return y == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        // Giles (2010) single-precision approximation as the starting point.
        double w = -Math.log((1.0 - y) * (1.0 + y));
        double p;
        if (w < 5.0) {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        } else {
            w = Math.sqrt(w) - 3.0;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        double x = p * y;
        for (int i = 0; i < 4; i++) {
            double err = erf(x) - y;
            x -= err / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
        }
        return x;
    }
}

package dev.unroll.runtime.internal;

/**
 * The scalar functions and reductions of the reference, in its exact order of operations, so that
 * an f64 engine reproduces it to the last bits (up to {@code exp}/{@code log} implementation
 * differences of one ulp).
 */
public final class AttentionMath {
    private AttentionMath() {}

    /**
     * @param x argument
     * @return {@code 1/(1+exp(-x))} for x &gt;= 0, else {@code e/(1+e)} with {@code e = exp(x)}
     */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * @param x argument
     * @return x above 20, {@code exp(x)} below -20, else {@code log(1 + exp(x))}
     */
    public static double softplus(double x) {
        if (x > 20.0) {
            return x;
        }
        if (x < -20.0) {
            return Math.exp(x);
        }
        return Math.log(1.0 + Math.exp(x));
    }

    /**
     * The reference's dot product: four lane accumulators over the first {@code 4*floor(n/4)}
     * elements (lane l sums indices congruent to l mod 4, in order), combined as
     * {@code (a0 + a2) + (a1 + a3)}, then the remainder added one by one.
     *
     * @param w first vector
     * @param wOff its offset
     * @param x second vector
     * @param xOff its offset
     * @param n length
     * @return the dot product
     */
    public static double dot4(double[] w, int wOff, double[] x, int xOff, int n) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        int c = 0;
        for (; c + 4 <= n; c += 4) {
            a0 += w[wOff + c] * x[xOff + c];
            a1 += w[wOff + c + 1] * x[xOff + c + 1];
            a2 += w[wOff + c + 2] * x[xOff + c + 2];
            a3 += w[wOff + c + 3] * x[xOff + c + 3];
        }
        double s = (a0 + a2) + (a1 + a3);
        for (; c < n; c++) {
            s += w[wOff + c] * x[xOff + c];
        }
        return s;
    }

    /**
     * {@code y[r] = dot4(W[r,:], x)} for a row-major {@code rows x cols} matrix.
     *
     * @param w matrix
     * @param x vector (offset xOff)
     * @param xOff offset into x
     * @param rows rows
     * @param cols columns
     * @param y output (offset yOff)
     * @param yOff offset into y
     */
    public static void matvec(double[] w, double[] x, int xOff, int rows, int cols, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            y[yOff + r] = dot4(w, r * cols, x, xOff, cols);
        }
    }
}

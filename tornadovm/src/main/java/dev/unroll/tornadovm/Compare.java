package dev.unroll.tornadovm;

/** How far a device result is from the JVM's. */
final class Compare {
    private Compare() {}

    /**
     * @param want the JVM's values
     * @param got the device's
     * @return the largest absolute difference over the largest magnitude of {@code want} (infinite for
     *     different lengths or a non-finite value)
     */
    static double relative(float[] want, float[] got) {
        if (want.length != got.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            if (!Float.isFinite(got[i])) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, Math.abs(want[i]));
            err = Math.max(err, Math.abs((double) want[i] - got[i]));
        }
        return max == 0 ? err : err / max;
    }
}

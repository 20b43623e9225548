package dev.unroll.cli.verify;

import dev.unroll.runtime.internal.json.Json;
import java.util.Locale;
import java.util.Map;

/**
 * A tolerance: a tensor passes when its scaled error (max abs error / max abs expected) is at most
 * {@code rel}, or its max abs error is at most {@code abs}.
 *
 * @param abs absolute bound
 * @param rel scaled bound
 */
public record Tolerance(double abs, double rel) {
    /**
     * @param maxAbs max abs error
     * @param maxRel scaled error
     * @return whether within tolerance
     */
    public boolean accepts(double maxAbs, double maxRel) {
        return maxAbs <= abs || maxRel <= rel;
    }

    /**
     * @param m {@code {"abs": x, "rel": y}} (either may be absent: 0)
     * @return the tolerance
     */
    public static Tolerance fromJson(Map<String, Object> m) {
        Json.onlyKnown(m, java.util.List.of("abs", "rel"), "a tolerance");
        return new Tolerance(bound(m, "abs"), bound(m, "rel"));
    }

    /** The loosest tolerance a golden file may state: a bound above it would pass anything. */
    public static final double MAX = 0.1;

    private static double bound(Map<String, Object> m, String key) {
        if (!m.containsKey(key)) {
            return 0;
        }
        double v = Json.asDouble(m.get(key), key);
        if (!(v >= 0) || v > MAX) {
            throw new dev.unroll.runtime.UnrollException("tolerance " + key + " = " + v + " must be in [0, " + MAX
                    + "]: a looser bound would pass almost any result");
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "abs %.0e / rel %.0e", abs, rel);
    }
}

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
        return new Tolerance(m.containsKey("abs") ? Json.asDouble(m.get("abs"), "abs") : 0,
                m.containsKey("rel") ? Json.asDouble(m.get("rel"), "rel") : 0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "abs %.0e / rel %.0e", abs, rel);
    }
}

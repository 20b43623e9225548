package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;

/** Vectors a user hands the decoder (interventions, feedback) must be finite: one NaN poisons every later token. */
final class Finite {
    private Finite() {}

    static void check(String what, float[] v) {
        if (v == null) {
            throw new UnrollException(what + ": the vector is null (required)");
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new UnrollException(what + ": element " + i + " is " + v[i] + " (vectors must be finite)");
            }
        }
    }
}

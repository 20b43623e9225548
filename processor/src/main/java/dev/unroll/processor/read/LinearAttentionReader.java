package dev.unroll.processor.read;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.ModeParameter;
import dev.unroll.runtime.attention.mode.Modes;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code @LinearAttention} values into a raw spec builder (nothing resolved or checked yet).
 * Mode parameters are the annotation members of the same name, read when written explicitly; the
 * rest take the definitions' defaults, which equal the annotation's.
 */
public final class LinearAttentionReader {
    private LinearAttentionReader() {}

    /**
     * @param v the annotation's values
     * @return the raw values
     */
    public static Raw read(AnnotationValues v) {
        AttentionSpec.Builder b = AttentionSpec.builder(AttentionMode.valueOf(v.getEnum("mode")), v.getInt("width"))
                .heads(v.getInt("heads"))
                .keyWidth(v.getInt("keyWidth"))
                .valueWidth(v.getInt("valueWidth"))
                .seed(v.getLong("seed"))
                .precision(Precision.valueOf(v.getEnum("precision")));
        for (ModeParameter<?> p : Modes.allParameters()) {
            if (v.explicit().contains(p.name())) {
                b.parameter(p.name(), value(v, p));
            }
        }
        return new Raw(b, WeightFormat.valueOf(v.getEnum("weights")));
    }

    /**
     * The raw values of a {@code @LinearAttention}.
     *
     * @param spec the layer, unchecked
     * @param weights how the kernels store the projections
     */
    public record Raw(AttentionSpec.Builder spec, WeightFormat weights) {
        /**
         * @param explicit members written explicitly
         * @return the spec's findings, then the weight format's
         */
        public List<Violation> check(Set<String> explicit) {
            List<Violation> out = new ArrayList<>(spec.check(explicit));
            Precision precision = spec.precision();
            if (weights != WeightFormat.F32 && precision != Precision.F32) {
                out.add(new Violation(Diagnostic.COMPACT_NEEDS_F32, "weights", Diagnostic.COMPACT_NEEDS_F32.format(weights, precision)));
            }
            return out;
        }
    }

    private static Object value(AnnotationValues v, ModeParameter<?> p) {
        if (p.type() == Double.class) {
            return v.getDouble(p.name());
        }
        if (p.type() == Integer.class) {
            return v.getInt(p.name());
        }
        if (p.type() == Boolean.class) {
            return v.getBoolean(p.name());
        }
        return v.getEnum(p.name());
    }
}

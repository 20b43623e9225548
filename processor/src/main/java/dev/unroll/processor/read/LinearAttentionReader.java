package dev.unroll.processor.read;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
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
    public static Raw read(MemberValues v) {
        AttentionSpec.Builder b = AttentionSpec.builder(v.get(AttentionSpec.MODE), v.get(AttentionSpec.WIDTH))
                .heads(v.get(AttentionSpec.HEADS))
                .keyWidth(v.get(AttentionSpec.KEY_WIDTH))
                .valueWidth(v.get(AttentionSpec.VALUE_WIDTH))
                .seed(v.get(AttentionSpec.SEED))
                .precision(v.get(AttentionSpec.PRECISION));
        for (Parameter<?> p : Modes.allParameters()) {
            if (v.explicit().contains(p.name())) {
                b.parameter(p.name(), v.get(p));
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
}

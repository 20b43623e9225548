package dev.unroll.processor.model;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.attention.AttentionSpec;

/**
 * A validated {@code @LinearAttention} descriptor.
 *
 * @param source where it was declared
 * @param spec the resolved spec
 * @param weights how the kernels store the projections
 */
public record LinearAttentionDescriptor(DescriptorSource source, AttentionSpec spec, WeightFormat weights) {
    /**
     * @param source where it was declared
     * @param spec the resolved spec
     */
    public LinearAttentionDescriptor(DescriptorSource source, AttentionSpec spec) {
        this(source, spec, WeightFormat.F32);
    }

    /** @return the annotation as written, with {@code weights} when it is not F32 */
    public String describe() {
        return WeightFormats.describe(spec.describe(), weights);
    }
}

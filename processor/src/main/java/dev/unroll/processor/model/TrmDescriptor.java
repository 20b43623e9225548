package dev.unroll.processor.model;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.trm.TrmSpec;

/**
 * A validated {@code @TinyRecursiveModel} descriptor.
 *
 * @param source where it was declared
 * @param spec the resolved spec
 * @param weights how the kernels store the row projections
 */
public record TrmDescriptor(DescriptorSource source, TrmSpec spec, WeightFormat weights) {
    /**
     * @param source where it was declared
     * @param spec the resolved spec
     */
    public TrmDescriptor(DescriptorSource source, TrmSpec spec) {
        this(source, spec, WeightFormat.F32);
    }

    /** @return the annotation as written, with {@code weights} when it is not F32 */
    public String describe() {
        return WeightFormats.describe(spec.describe(), weights);
    }
}

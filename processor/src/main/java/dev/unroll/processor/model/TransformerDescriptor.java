package dev.unroll.processor.model;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.transformer.TransformerSpec;

/**
 * A validated {@code @Transformer} descriptor, with its {@code @RecurrentPass} block if any.
 *
 * @param source where it was declared
 * @param spec the resolved spec
 * @param weights how the kernels store the matrices
 */
public record TransformerDescriptor(DescriptorSource source, TransformerSpec spec, WeightFormat weights) {
    /** @return the annotation as written, with {@code weights} when it is not F32 */
    public String describe() {
        return WeightFormats.describe(spec.describe(), weights);
    }
}

package dev.unroll.examples.transformer;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.function.BiFunction;

/** The generated stories260K decoder of each weight format, for tests that run every format. */
public final class Stories260KModels {
    private Stories260KModels() {}

    /**
     * @param format a weight format
     * @return the factory of stories260K's generated model in that format
     */
    public static BiFunction<TransformerWeights, Flavour, GeneratedTransformer> of(WeightFormat format) {
        return switch (format) {
            case F32 -> Stories260KModel::of;
            case BF16 -> Stories260KBf16Model::of;
            case Q8 -> Stories260KQ8Model::of;
            case Q4 -> Stories260KQ4Model::of;
        };
    }
}

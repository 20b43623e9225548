package dev.unroll.runtime.registry;

import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;

/** A generated decoder. */
public interface TransformerProvider extends KernelProvider<TransformerSpec, TransformerWeights, TransformerModel> {
    @Override
    default Family family() {
        return Family.TRANSFORMER;
    }
}

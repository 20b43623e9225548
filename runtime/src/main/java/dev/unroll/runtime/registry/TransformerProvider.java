package dev.unroll.runtime.registry;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;

/** A generated decoder. */
public interface TransformerProvider extends KernelProvider {
    @Override
    TransformerSpec spec();

    @Override
    default String family() {
        return "transformer";
    }

    /**
     * @param weights weights of this decoder
     * @return the model
     */
    TransformerModel create(TransformerWeights weights);

    /**
     * @param weights weights
     * @param flavour the flavour
     * @return the model
     */
    TransformerModel create(TransformerWeights weights, Flavour flavour);
}

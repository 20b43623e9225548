package dev.unroll.runtime.registry;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;

/** A generated linear-attention layer. */
public interface LinearAttentionProvider extends KernelProvider {
    @Override
    AttentionSpec spec();

    @Override
    default String family() {
        return "linear-attention";
    }

    /**
     * @param weights weights of this descriptor (any precision)
     * @return the layer, in the flavour {@link Flavour#choose} picks
     */
    LinearAttentionLayer create(AttentionWeights weights);

    /**
     * @param weights weights of this descriptor
     * @param flavour the flavour to run
     * @return the layer
     */
    LinearAttentionLayer create(AttentionWeights weights, Flavour flavour);
}

package dev.unroll.runtime.registry;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;

/** A generated Tiny Recursive Model. */
public interface TrmProvider extends KernelProvider {
    @Override
    TrmSpec spec();

    @Override
    default String family() {
        return "trm";
    }

    /**
     * @param weights weights of this descriptor
     * @return the model, in the flavour {@link Flavour#choose} picks
     */
    TrmModel create(TrmWeights weights);

    /**
     * @param weights weights
     * @param flavour the flavour to run
     * @return the model
     */
    TrmModel create(TrmWeights weights, Flavour flavour);
}

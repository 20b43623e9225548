package dev.unroll.runtime.registry;

import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;

/** A generated Tiny Recursive Model. */
public interface TrmProvider extends KernelProvider<TrmSpec, TrmWeights, TrmModel> {
    @Override
    default Family family() {
        return Family.TRM;
    }
}

package dev.unroll.runtime.registry;

import dev.unroll.annotations.WeightFormat;

/**
 * A generated kernel, registered through {@link java.util.ServiceLoader} (the processor writes
 * {@code META-INF/services/dev.unroll.runtime.registry.KernelProvider}), so that the runtime can find
 * the generated kernel for a descriptor.
 */
public interface KernelProvider {
    /** @return the family: {@code linear-attention}, {@code trm} or {@code transformer} */
    String family();

    /** @return the descriptor spec (AttentionSpec, TrmSpec, TransformerSpec) */
    Object spec();

    /** @return the generated class that implements it */
    String generatedClass();

    /** @return the annotated type it was generated from */
    String annotatedType();

    /** @return whether a SIMD flavour was generated */
    boolean simdGenerated();

    /** @return how its kernels store the weight matrices */
    default WeightFormat weights() {
        return WeightFormat.F32;
    }
}

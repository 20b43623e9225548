package dev.unroll.runtime.registry;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;

/**
 * A generated layer or model, registered through {@link java.util.ServiceLoader} (the processor writes
 * {@code META-INF/services/dev.unroll.runtime.registry.KernelProvider}), so that the runtime can find
 * the generated kernel for a descriptor. One type for every family, parameterised by the family's
 * spec, weights and result; {@link LinearAttentionProvider}, {@link TrmProvider} and
 * {@link TransformerProvider} name its three instances.
 *
 * @param <S> the family's spec
 * @param <W> the family's weights
 * @param <M> what it creates: a layer or a model
 */
public interface KernelProvider<S, W, M> {
    /** @return the family */
    Family family();

    /** @return the descriptor spec */
    S spec();

    /** @return the binary name of the generated layer or model */
    String generatedClass();

    /**
     * @return the qualified name every class generated for the descriptor starts with ({@code pkg.Gla_D16}: then
     *     {@code Kernels}, {@code SimdKernels}, {@code Layer} or {@code Model}, {@code Tornado})
     */
    String baseName();

    /** @return the annotated type it was generated from */
    String annotatedType();

    /** @return whether a SIMD flavour was generated */
    boolean simdGenerated();

    /** @return how its kernels store the weight matrices */
    default WeightFormat weights() {
        return WeightFormat.F32;
    }

    /**
     * @param weights weights of this descriptor
     * @return the layer or model, in the flavour {@link Flavour#choose} picks
     */
    M create(W weights);

    /**
     * @param weights weights of this descriptor
     * @param flavour the flavour to run
     * @return the layer or model
     */
    M create(W weights, Flavour flavour);
}

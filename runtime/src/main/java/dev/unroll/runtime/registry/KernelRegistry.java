package dev.unroll.runtime.registry;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.TrmSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds generated kernels on the class path. Lookups match the descriptor; a kernel generated
 * for the same model at another precision is the second choice.
 */
public final class KernelRegistry {
    private static volatile List<KernelProvider<?, ?, ?>> all;

    private KernelRegistry() {}

    /**
     * @param family a family
     * @return its registered kernels, in class-path order
     */
    public static List<KernelProvider<?, ?, ?>> of(Family family) {
        return all().stream().filter(p -> p.family() == family).toList();
    }

    /** @return every registered kernel, in class-path order */
    public static List<KernelProvider<?, ?, ?>> all() {
        List<KernelProvider<?, ?, ?>> a = all;
        if (a == null) {
            List<KernelProvider<?, ?, ?>> found = new ArrayList<>();
            for (KernelProvider<?, ?, ?> p : ServiceLoader.load(KernelProvider.class, KernelRegistry.class.getClassLoader())) {
                found.add(p);
            }
            a = Collections.unmodifiableList(found);
            all = a;
        }
        return a;
    }

    /**
     * @param spec a linear-attention descriptor
     * @return the generated layer for it with F32 projections: same precision first, else the same
     *     model at another precision
     */
    public static Optional<LinearAttentionProvider> linearAttention(AttentionSpec spec) {
        return linearAttention(spec, WeightFormat.F32);
    }

    /**
     * @param spec a linear-attention descriptor
     * @param weights how its projections are stored
     * @return the generated layer for it: same precision first, else the same model at another precision
     */
    public static Optional<LinearAttentionProvider> linearAttention(AttentionSpec spec, WeightFormat weights) {
        LinearAttentionProvider other = null;
        for (KernelProvider<?, ?, ?> p : all()) {
            if (p instanceof LinearAttentionProvider la && la.weights() == weights) {
                if (la.spec().equals(spec)) {
                    return Optional.of(la);
                }
                if (other == null && la.spec().withPrecision(spec.precision()).equals(spec)) {
                    other = la;
                }
            }
        }
        return Optional.ofNullable(other);
    }

    /**
     * @param spec a TRM descriptor
     * @return the generated model for it, with F32 projections
     */
    public static Optional<TrmProvider> trm(TrmSpec spec) {
        return trm(spec, WeightFormat.F32);
    }

    /**
     * @param spec a TRM descriptor
     * @param weights how its row projections are stored
     * @return the generated model for it
     */
    public static Optional<TrmProvider> trm(TrmSpec spec, WeightFormat weights) {
        for (KernelProvider<?, ?, ?> p : all()) {
            if (p instanceof TrmProvider t && t.spec().equals(spec) && t.weights() == weights) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * @param spec a decoder descriptor (with or without a recurrent block)
     * @return the generated model for exactly it, with F32 weights
     */
    public static Optional<TransformerProvider> transformer(TransformerSpec spec) {
        return transformer(spec, WeightFormat.F32);
    }

    /**
     * @param spec a decoder descriptor (with or without a recurrent block)
     * @param weights how its matrices are stored
     * @return the generated model for exactly it
     */
    public static Optional<TransformerProvider> transformer(TransformerSpec spec, WeightFormat weights) {
        for (KernelProvider<?, ?, ?> p : all()) {
            if (p instanceof TransformerProvider t && t.spec().equals(spec) && t.weights() == weights) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

package dev.unroll.processor.host;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.unroll.annotations.WeightFormat;
import java.util.List;

/**
 * A generated host class: the layer or model of a descriptor, or its TornadoVM glue. What it extends
 * and implements, its fields, constructors, factories and methods, and what its nested
 * {@code Provider} registers. The renderer adds the flavour dispatch of the kernel calls (an
 * {@code Ops} interface over the kernels the steps call, chosen once per object), the
 * {@code SIMD_GENERATED} constant of a layer or model, and the provider.
 *
 * @param name the class
 * @param base the codegen base class it extends, or null for none
 * @param interfaces the interfaces it implements
 * @param doc its javadoc's first paragraph; for a layer or model the renderer follows it with the kernels paragraph
 * @param notes its javadoc's further paragraphs, or empty
 * @param fields its fields, by role
 * @param methods its constructors, factories, entry points and helpers, in order
 * @param registration what its nested {@code Provider} registers
 */
public record HostClass(ClassName name, ClassName base, List<ClassName> interfaces, CodeBlock doc, CodeBlock notes, List<HostField> fields,
        List<HostMethod> methods, Registration registration) {

    /** What the nested {@code Provider} registers through ServiceLoader. */
    public sealed interface Registration {
        /** @return the binary name of the service interface */
        String service();
    }

    /**
     * A layer or model, with the runtime's kernel registry: the family's provider interface and what it creates.
     *
     * @param type the provider interface ({@code LinearAttentionProvider}, ...)
     * @param spec the family's spec type
     * @param weights the family's weights type
     * @param result what {@code create} returns
     * @param baseName the qualified name every class of the descriptor starts with
     * @param annotatedType the annotated type's qualified name
     * @param format how the kernels store the matrices
     */
    public record Kernels(ClassName type, ClassName spec, ClassName weights, ClassName result, String baseName, String annotatedType,
            WeightFormat format) implements Registration {
        @Override
        public String service() {
            return "dev.unroll.runtime.registry.KernelProvider";
        }
    }

    /**
     * A TornadoVM glue, with the runtime's device backends: the family's glue interface, the class it runs and
     * how it opens.
     *
     * @param type the family's glue interface ({@code AttentionGlue}, ...)
     * @param runs the generated layer or model it runs
     * @param opens the methods of the glue interface that open it (public, {@code @Override} added by the renderer)
     */
    public record Glue(ClassName type, ClassName runs, List<HostMethod> opens) implements Registration {
        /**
         * @param type the family's glue interface
         * @param runs the generated layer or model it runs
         * @param open its one {@code open} method
         */
        public Glue(ClassName type, ClassName runs, HostMethod open) {
            this(type, runs, List.of(open));
        }

        @Override
        public String service() {
            return "dev.unroll.runtime.backend.DeviceGlue";
        }
    }

    /** @return whether this is a layer or model (not a glue) */
    public boolean isModel() {
        return registration instanceof Kernels;
    }
}

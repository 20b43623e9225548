/**
 * Unroll's runtime: the families' API, the generic engines, loaders, the registry and backend
 * choice ({@code docs/design.md}, "The runtime's layers").
 *
 * <ul>
 *   <li>API, exported to everyone: the root package, {@code attention}, {@code attention.mode},
 *       {@code trm}, {@code transformer}, {@code registry}, {@code backend}, {@code safetensors},
 *       {@code gguf}, {@code weights}, {@code spec}, {@code fla}.
 *   <li>{@code codegen}, exported to everyone because generated classes live in users' modules:
 *       the base classes and helpers generated code extends and calls. Not for hand-written code.
 *   <li>{@code internal} (support below the API), {@code attention.definition} (the mode
 *       definitions the specs, the generic engine and the processor read) and {@code golden}
 *       (golden-file readers), exported only to Unroll's own command line.
 * </ul>
 *
 * <p>In a named module {@link java.util.ServiceLoader} reads {@code provides} clauses, not
 * {@code META-INF/services}, and javac cannot check a {@code provides} clause against a provider
 * generated in the same compilation: a modular application builds its generated layers and models
 * directly ({@code FooLayer.seeded()}, {@code FooModel.load(...)}) rather than through the registry.
 */
module dev.unroll.runtime {
    requires transitive dev.unroll.annotations;

    exports dev.unroll.runtime;
    exports dev.unroll.runtime.attention;
    exports dev.unroll.runtime.attention.mode;
    exports dev.unroll.runtime.backend;
    exports dev.unroll.runtime.fla;
    exports dev.unroll.runtime.gguf;
    exports dev.unroll.runtime.registry;
    exports dev.unroll.runtime.safetensors;
    exports dev.unroll.runtime.spec;
    exports dev.unroll.runtime.transformer;
    exports dev.unroll.runtime.trm;
    exports dev.unroll.runtime.weights;

    exports dev.unroll.runtime.codegen;

    exports dev.unroll.runtime.attention.definition to dev.unroll.cli;

    exports dev.unroll.runtime.internal to dev.unroll.cli;
    exports dev.unroll.runtime.internal.data to dev.unroll.cli;
    exports dev.unroll.runtime.internal.json to dev.unroll.cli;
    exports dev.unroll.runtime.internal.ops to dev.unroll.cli;
    exports dev.unroll.runtime.internal.random to dev.unroll.cli;
    exports dev.unroll.runtime.golden to dev.unroll.cli;

    uses dev.unroll.runtime.registry.KernelProvider;
    uses dev.unroll.runtime.backend.DeviceGlue;
}

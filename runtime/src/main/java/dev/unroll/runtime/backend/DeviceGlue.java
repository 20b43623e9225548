package dev.unroll.runtime.backend;

/**
 * Service-provider interface of the TornadoVM glue that the processor generates beside a layer or
 * model ({@code FooTornado}, with {@code tornado-api} on the compiler's class path). Each glue registers
 * a provider through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.unroll.runtime.backend.DeviceGlue},
 * or {@code provides dev.unroll.runtime.backend.DeviceGlue with ...} in a named module), and the
 * family's runners ({@code LinearAttentionRunners}, {@code TrmRunners}, {@code TransformerRunners}) find
 * it by the class it runs, through {@link DeviceGlues}. A provider links no TornadoVM class until it
 * opens a runner, so it is safe to list on a JVM without TornadoVM.
 *
 * <p>Implemented by generated code only; each family extends it with the one method that opens its
 * runner.
 */
public interface DeviceGlue {
    /** @return the binary name of the generated layer or model whose kernels this glue runs on a device */
    String runs();
}

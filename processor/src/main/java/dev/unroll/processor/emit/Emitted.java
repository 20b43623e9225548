package dev.unroll.processor.emit;

import com.palantir.javapoet.JavaFile;
import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.registry.KernelProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of emitting one descriptor.
 *
 * @param files source files
 * @param services the ServiceLoader registrations of the generated providers
 */
public record Emitted(List<JavaFile> files, List<Service> services) {
    /**
     * One line of a {@code META-INF/services} file.
     *
     * @param contract the service interface's binary name (the file's name)
     * @param provider the provider's binary name
     */
    public record Service(String contract, String provider) {}

    /**
     * @param files source files
     * @param kernelProvider the binary name of the layer's or model's {@link KernelProvider}
     * @param deviceGlues the binary names of its TornadoVM glues' {@link DeviceGlue} providers, empty when no glue was emitted
     * @return the output
     */
    public static Emitted of(List<JavaFile> files, String kernelProvider, List<String> deviceGlues) {
        List<Service> services = new ArrayList<>();
        services.add(new Service(KernelProvider.class.getName(), kernelProvider));
        for (String glue : deviceGlues) {
            services.add(new Service(DeviceGlue.class.getName(), glue));
        }
        return new Emitted(List.copyOf(files), List.copyOf(services));
    }
}

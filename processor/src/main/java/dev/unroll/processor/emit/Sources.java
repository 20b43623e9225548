package dev.unroll.processor.emit;

import com.palantir.javapoet.JavaFile;
import dev.unroll.processor.host.HostClass;
import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.plan.KernelPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every source of a descriptor, the same way for every family: the scalar kernels, the SIMD
 * kernels when {@code jdk.incubator.vector} is visible, the layer or model, and when TornadoVM's API is
 * visible and the host plan has glue, the TornadoVM kernels, each glue class and (when the glue uses them) the
 * work-group kernels.
 */
public final class Sources {
    private Sources() {}

    /**
     * @param kernels the checked kernel plan
     * @param host its host plan
     * @param env what the compilation can see
     * @return the files and their ServiceLoader registrations
     */
    public static Emitted emit(KernelPlan kernels, HostPlan host, Environment env) {
        List<JavaFile> files = new ArrayList<>();
        files.add(new KernelEmitter(kernels, KernelEmitter.Flavour.SCALAR).emit(env));
        if (env.vectorApi()) {
            files.add(new KernelEmitter(kernels, KernelEmitter.Flavour.SIMD).emit(env));
        }
        HostRenderer model = new HostRenderer(host.jvm(), kernels, env.vectorApi());
        files.add(model.render(env));
        List<String> glues = new ArrayList<>();
        if (env.tornado() && !host.devices().isEmpty()) {
            files.add(new KernelEmitter(kernels, KernelEmitter.Flavour.DEVICE).emit(env));
            for (HostClass device : host.devices()) {
                HostRenderer glue = new HostRenderer(device, kernels, env.vectorApi());
                files.add(glue.render(env));
                glues.add(glue.providerBinaryName());
            }
            if (host.workGroupKernels()) {
                files.add(new GpuKernelsEmitter(kernels).emit(env));
            }
        }
        return Emitted.of(files, model.providerBinaryName(), glues);
    }
}

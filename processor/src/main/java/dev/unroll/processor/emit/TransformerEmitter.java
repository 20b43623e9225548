package dev.unroll.processor.emit;

import com.palantir.javapoet.JavaFile;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.TransformerPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits a decoder plan: scalar kernels, SIMD kernels when possible, the model, and when TornadoVM's API
 * is visible the glue and the GPU-shaped kernels.
 */
public final class TransformerEmitter {
    private TransformerEmitter() {}

    /**
     * @param plan the plan
     * @param env the compilation's view
     * @return the files and the provider
     */
    public static Emitted emit(TransformerPlan plan, Environment env) {
        List<JavaFile> files = new ArrayList<>();
        TransformerTornadoEmitter glue = null;
        files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.SCALAR).emit(env));
        if (env.vectorApi()) {
            files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.SIMD).emit(env));
        }
        TransformerModelEmitter model = new TransformerModelEmitter(plan, env.vectorApi());
        files.add(model.emit(env));
        // compact matrices are a JVM feature: their models run on the JVM only (no glue class)
        if (env.tornado() && plan.descriptor().weights() == WeightFormat.F32) {
            files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.DEVICE).emit(env));
            glue = new TransformerTornadoEmitter(plan);
            files.add(glue.emit(env));
            files.add(new GpuKernelsEmitter(plan.kernels()).emit(env));
        }
        return Emitted.of(files, model.providerBinaryName(), glue == null ? null : glue.providerBinaryName());
    }
}

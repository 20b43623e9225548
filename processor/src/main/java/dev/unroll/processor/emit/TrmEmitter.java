package dev.unroll.processor.emit;

import com.palantir.javapoet.JavaFile;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.TrmPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits every source of a TRM plan: scalar kernels, SIMD kernels when possible, the model, and the
 * TornadoVM glue when its API is visible.
 */
public final class TrmEmitter {
    private TrmEmitter() {}

    /**
     * @param plan the plan
     * @param env what the compilation can see
     * @return the files and the provider to register
     */
    public static Emitted emit(TrmPlan plan, Environment env) {
        List<JavaFile> files = new ArrayList<>();
        TrmTornadoEmitter glue = null;
        files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.SCALAR).emit(env));
        if (env.vectorApi()) {
            files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.SIMD).emit(env));
        }
        TrmModelEmitter model = new TrmModelEmitter(plan, env.vectorApi());
        files.add(model.emit(env));
        // compact projections are a JVM feature: their models run on the JVM only (no glue class)
        if (env.tornado() && plan.descriptor().weights() == WeightFormat.F32) {
            files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.DEVICE).emit(env));
            glue = new TrmTornadoEmitter(plan);
            files.add(glue.emit(env));
        }
        return Emitted.of(files, model.providerBinaryName(), glue == null ? null : glue.providerBinaryName());
    }
}

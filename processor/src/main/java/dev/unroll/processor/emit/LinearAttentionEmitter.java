package dev.unroll.processor.emit;

import com.palantir.javapoet.JavaFile;
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.LinearAttentionPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits every source of a linear-attention plan: scalar kernels, SIMD kernels when the Vector API is
 * visible, the layer, and the TornadoVM glue when tornado-api is visible.
 */
public final class LinearAttentionEmitter {
    private LinearAttentionEmitter() {}

    /**
     * @param plan the plan
     * @param env what the compilation can see
     * @return the files, and the provider to register
     */
    public static Emitted emit(LinearAttentionPlan plan, Environment env) {
        List<JavaFile> files = new ArrayList<>();
        TornadoGlueEmitter glue = null;
        files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.SCALAR).emit(env));
        if (env.vectorApi()) {
            files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.SIMD).emit(env));
        }
        LinearAttentionLayerEmitter layer = new LinearAttentionLayerEmitter(plan, env.vectorApi());
        files.add(layer.emit(env));
        // GPUs run F32; F64 layers stay on the JVM
        // compact projections are a JVM feature: their layers run on the JVM only (no glue class)
        if (env.tornado() && plan.kernels().precision() == Precision.F32 && plan.descriptor().weights() == WeightFormat.F32) {
            files.add(new KernelEmitter(plan.kernels(), KernelEmitter.Flavour.DEVICE).emit(env));
            glue = new TornadoGlueEmitter(plan);
            files.add(glue.emit(env));
        }
        return Emitted.of(files, layer.providerBinaryName(), glue == null ? null : glue.providerBinaryName());
    }
}

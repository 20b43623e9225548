package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.host.Tornado;
import dev.unroll.processor.plan.KernelPlan;
import javax.lang.model.element.Modifier;

/**
 * Emits {@code FooGpuKernels}: the GPU-shaped variants of a decoder's matrix-vector products, written
 * in TornadoVM's explicit kernel model ({@code KernelContext}), as production TornadoVM decoders write
 * them: one output row per work-group, each work-item summing a strided slice of the row, the group
 * reducing in local memory. They are an opt-in beside the loop kernels (one row per work-item), which
 * stay the reference: on a plain JVM a {@code KernelContext} kernel is not correct Java (every id is 0),
 * so these run only as TornadoVM tasks. Emitted only when TornadoVM's API is visible.
 */
final class GpuKernelsEmitter {
    /** Work-items per work-group: one warp on NVIDIA hardware, half a wavefront on AMD's. */
    static final int LOCAL = 32;

    private final KernelPlan plan;

    GpuKernelsEmitter(KernelPlan plan) {
        this.plan = plan;
    }

    /**
     * @param baseName the annotated type's simple name
     * @return the class's simple name
     */
    static String className(String baseName) {
        return baseName + "GpuKernels";
    }

    JavaFile emit(Environment env) {
        ClassName self = ClassName.get(plan.packageName(), className(plan.baseName()));
        TypeName floats = ArrayTypeName.of(TypeName.FLOAT);
        TypeSpec.Builder t = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(CodeBlock.builder()
                        .add("GPU-shaped kernels for {@link $L}:\n", plan.annotatedType())
                        .add("<pre>{@code\n$L\n}</pre>\n\n", plan.descriptor())
                        .add("<p>TornadoVM {@code KernelContext} kernels, chosen by the glue with {@code -Dunroll.tornado.kernels=gpu}: one output\n")
                        .add("row per work-group of {@link #LOCAL} work-items and a local-memory tree reduction, where the loop kernels of\n")
                        .add("{@code $L} give each row to one work-item. Not correct Java on a plain JVM (every id is 0 there): they\n", plan.scalarClass())
                        .add("run only as TornadoVM tasks, with a grid of {@code rows * LOCAL} work-items in groups of {@code LOCAL}.\n")
                        .build())
                .addField(FieldSpec.builder(TypeName.INT, "LOCAL", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Work-items per work-group (a power of two).\n").initializer("$L", LOCAL).build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addComment("static kernels only").build())
                .addMethod(MethodSpec.methodBuilder("matVec").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addJavadoc("{@code y[yOff + j * yStride + row] = W[row] . x[j * xStride ..]} ({@code +=} when {@code accumulate != 0}) for the\n")
                        .addJavadoc("work-group's row and each token {@code j < n[0]} of a block, in order: the row is read once for the block.\n\n")
                        .addJavadoc("@param context TornadoVM's kernel context\n@param w weights [rows][cols], row-major\n")
                        .addJavadoc("@param x inputs, one per token\n@param xStride distance between two tokens' inputs\n")
                        .addJavadoc("@param y outputs\n@param yOff offset of row 0 in y\n@param yStride distance between two tokens' outputs\n")
                        .addJavadoc("@param cols columns\n@param n tokens in the block, in a one-element array\n")
                        .addJavadoc("@param accumulate 1 to add to y (a residual), 0 to overwrite it\n")
                        .addParameter(Tornado.KERNEL_CONTEXT, "context").addParameter(floats, "w").addParameter(floats, "x")
                        .addParameter(TypeName.INT, "xStride").addParameter(floats, "y").addParameter(TypeName.INT, "yOff")
                        .addParameter(TypeName.INT, "yStride").addParameter(TypeName.INT, "cols")
                        .addParameter(ArrayTypeName.of(TypeName.INT), "n").addParameter(TypeName.INT, "accumulate")
                        .addStatement("final int row = context.groupIdx")
                        .addStatement("final int lid = context.localIdx")
                        .addStatement("final float[] partial = context.allocateFloatLocalArray(LOCAL)")
                        .beginControlFlow("for (int j = 0; j < n[0]; j++)")
                        .addComment("the previous token's result has been read from partial[0]")
                        .addStatement("context.localBarrier()")
                        .addStatement("float acc = 0.0f")
                        .beginControlFlow("for (int c = lid; c < cols; c += LOCAL)")
                        .addStatement("acc += w[row * cols + c] * x[j * xStride + c]")
                        .endControlFlow()
                        .addStatement("partial[lid] = acc")
                        .beginControlFlow("for (int stride = LOCAL / 2; stride > 0; stride >>= 1)")
                        .addStatement("context.localBarrier()")
                        .beginControlFlow("if (lid < stride)")
                        .addStatement("partial[lid] += partial[lid + stride]")
                        .endControlFlow()
                        .endControlFlow()
                        .beginControlFlow("if (lid == 0)")
                        .addStatement("final int at = yOff + j * yStride + row")
                        .addStatement("y[at] = accumulate != 0 ? y[at] + partial[0] : partial[0]")
                        .endControlFlow()
                        .endControlFlow()
                        .build())
                ;
        return GeneratedFile.of(self.packageName(), t, plan.annotatedType(), env, null);
    }
}

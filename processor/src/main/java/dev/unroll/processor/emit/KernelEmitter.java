package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.Constant;
import dev.unroll.processor.plan.Helper;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.processor.plan.Param;
import dev.unroll.processor.plan.Type;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emits a {@link KernelPlan} as a Java class in one flavour: {@link Flavour#SCALAR} (plain counted
 * loops in the subset TornadoVM compiles), {@link Flavour#SIMD} (Vector API) or {@link Flavour#DEVICE}
 * (the scalar code shaped for TornadoVM: {@code @Parallel}, {@code TornadoMath}, rolled loops and the
 * device-only tasks). SCALAR and SIMD have the same constants and method signatures, so callers switch
 * between them freely; DEVICE is a class of its own, which only the TornadoVM glue loads, so a JVM
 * without TornadoVM's API never meets {@code TornadoMath}. Output depends only on the plan: identical
 * input gives identical bytes.
 */
public final class KernelEmitter {
    /** Kernel flavours. */
    public enum Flavour {
        /** Scalar loops: the reference, the fallback, and the TornadoVM-compatible form. */
        SCALAR,
        /** Vector API with register blocking. */
        SIMD,
        /** The scalar code for TornadoVM's glue: {@code @Parallel}, {@code TornadoMath}, rolled loops, device tasks. */
        DEVICE
    }

    private final KernelPlan plan;
    private final Flavour flavour;
    private final boolean tornado;

    /**
     * @param plan the plan
     * @param flavour the flavour
     */
    public KernelEmitter(KernelPlan plan, Flavour flavour) {
        this.plan = plan;
        this.flavour = flavour;
        this.tornado = flavour == Flavour.DEVICE;
    }

    /**
     * @param env what the compilation can see
     * @return the generated source file
     */
    public JavaFile emit(Environment env) {
        ExprWriter expr = new ExprWriter(plan, tornado ? ExprWriter.MathStyle.TORNADO : ExprWriter.MathStyle.JAVA);
        SimdLowering simd = flavour == Flavour.SIMD ? new SimdLowering(expr, plan.unrollLimit()) : null;
        // TornadoVM inlines every call into its kernel and refuses a callee over 600 Graal nodes: its flavour
        // keeps every loop a loop (the device compiler unrolls small constant loops itself)
        Lowering lowering = simd != null ? simd : new ScalarLowering(expr, tornado ? 0 : plan.unrollLimit(), tornado);
        StmtWriter writer = new StmtWriter(expr, lowering, tornado);
        String name = switch (flavour) {
            case SCALAR -> plan.scalarClass();
            case SIMD -> plan.simdClass();
            case DEVICE -> plan.deviceClass();
        };

        TypeSpec.Builder type = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(classDoc());
        for (Constant c : plan.constants()) {
            type.addField(constant(c, expr));
        }
        List<MethodSpec> methods = new ArrayList<>();
        for (KernelMethod m : plan.methods()) {
            // device-only tasks serve the TornadoVM glue, which exists only when its API is visible
            if (!m.deviceOnly() || tornado) {
                methods.add(method(m, writer, lowering));
            }
        }
        if (simd != null) {
            addSimdFields(type, simd);
        }
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addComment("static kernels only").build());
        type.addMethods(methods);
        for (Helper h : Helper.values()) {
            if (plan.helpers().contains(h)) {
                type.addMethod(Helpers.of(h, expr));
            }
        }
        type.addMethods(lowering.methods());
        return GeneratedFile.of(plan.packageName(), type, plan.annotatedType(), env, tornado ? ClassName.bestGuess(ExprWriter.TORNADO_MATH) : null);
    }

    private CodeBlock classDoc() {
        CodeBlock.Builder doc = CodeBlock.builder();
        doc.add("Shape-specialised kernels for {@link $L}:\n", plan.annotatedType());
        doc.add("<pre>{@code\n$L\n}</pre>\n\n", plan.descriptor());
        if (flavour == Flavour.SIMD) {
            doc.add("<p>SIMD flavour: Vector API ({@code jdk.incubator.vector}) at the platform's preferred width, register-blocked;\n"
                    + "matrix-vector weights are stored transposed and padded ({@code [cols][pad16(rows)]}), GEMM weights in panels of\n"
                    + "64 rows ({@code PackedMatrix.f32Panels}). Needs\n"
                    + "{@code --add-modules jdk.incubator.vector} at run time; the layer falls back to {@code $L} without it.\n\n", plan.scalarClass());
        } else if (flavour == Flavour.DEVICE) {
            doc.add("<p>TornadoVM flavour: the scalar kernels of {@code $L} for the TornadoVM glue, with {@code @Parallel} on the\n"
                    + "device tasks' parallel loops, maths through {@code TornadoMath} (float builtins on the device), every loop rolled\n"
                    + "(TornadoVM inlines each call into its kernel and refuses a callee over 600 Graal nodes) and the tasks only the\n"
                    + "glue runs. Same order of operations as {@code $L}, so the same bits on the JVM. Loaded only by the glue: it\n"
                    + "needs TornadoVM's API at run time.\n\n", plan.scalarClass(), plan.scalarClass());
        } else {
            doc.add("<p>Scalar flavour: counted loops with constant bounds over row-major weights, in the reference's order of\n"
                    + "operations; static methods over primitive arrays only, the subset TornadoVM compiles.\n\n");
        }
        doc.add("<p>Plan:\n<ul>\n");
        for (String d : plan.decisions()) {
            doc.add("  <li>$L\n", d);
        }
        doc.add("</ul>\n");
        return doc.build();
    }

    private static FieldSpec constant(Constant c, ExprWriter expr) {
        if (c.type() == Type.INT) {
            return FieldSpec.builder(TypeName.INT, c.name(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L\n", c.doc()).initializer("$L", (int) c.value()).build();
        }
        TypeName t = expr.realType().equals("float") ? TypeName.FLOAT : TypeName.DOUBLE;
        return FieldSpec.builder(t, c.name(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", c.doc()).initializer("$L", expr.real(c.value())).build();
    }

    private MethodSpec method(KernelMethod m, StmtWriter writer, Lowering lowering) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(m.name()).addModifiers(Modifier.PUBLIC, Modifier.STATIC);
        CodeBlock.Builder doc = CodeBlock.builder().add("$L\n\n", m.doc());
        for (Param p : m.params()) {
            b.addParameter(paramType(p.type()), p.name());
            doc.add("@param $L $L\n", p.name(), p.doc());
        }
        b.addJavadoc(doc.build());
        CodeBlock.Builder code = CodeBlock.builder();
        writer.inTask(m.task());
        lowering.inTask(m.task());
        writer.write(m.body(), code, Scope.EMPTY);
        return b.addCode(code.build()).build();
    }

    private TypeName paramType(Type t) {
        return javaType(t, plan.precision());
    }

    /**
     * @param t a parameter type of the IR
     * @param precision the plan's precision (REAL is float or double)
     * @return its Java type
     */
    static TypeName javaType(Type t, Precision precision) {
        boolean f32 = precision == Precision.F32;
        return switch (t) {
            case REAL -> f32 ? TypeName.FLOAT : TypeName.DOUBLE;
            case INT -> TypeName.INT;
            case LONG -> TypeName.LONG;
            case BOOLEAN -> TypeName.BOOLEAN;
            case REAL_ARRAY -> ArrayTypeName.of(f32 ? TypeName.FLOAT : TypeName.DOUBLE);
            case INT_ARRAY -> ArrayTypeName.of(TypeName.INT);
            case LONG_ARRAY -> ArrayTypeName.of(TypeName.LONG);
            case BYTE_ARRAY -> ArrayTypeName.of(TypeName.BYTE);
        };
    }

    // ------------------------------------------------------------------ SIMD scaffolding

    private ClassName vectorClass(String simple) {
        return ClassName.get(SimdLowering.PACKAGE, simple);
    }

    private TypeName speciesType(SimdLowering simd) {
        return ParameterizedTypeName.get(vectorClass("VectorSpecies"), ClassName.get("java.lang", simd.boxed()));
    }

    private void addSimdFields(TypeSpec.Builder type, SimdLowering simd) {
        TypeName species = speciesType(simd);
        ClassName vec = simd.vector();
        type.addField(FieldSpec.builder(species, "S", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The platform's preferred species, fixed at class initialisation (a constant to the JIT).\n")
                .initializer("$T.SPECIES_PREFERRED", vec).build());
        type.addField(FieldSpec.builder(TypeName.INT, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Lanes of {@link #S}.\n").initializer("S.length()").build());
        if (simd.compactFormats().contains(WeightFormat.BF16) || simd.compactFormats().contains(WeightFormat.Q4)) {
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(vectorClass("VectorSpecies"), ClassName.get(Integer.class)), "I",
                    Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Ints of {@link #S}'s shape: a vector of BF16 pairs or of Q4 code pairs, each widened to two float vectors.\n")
                    .initializer("$T.of(int.class, S.vectorShape())", vectorClass("VectorSpecies")).build());
        }
        if (simd.compactFormats().contains(WeightFormat.Q8) || simd.compactFormats().contains(WeightFormat.Q4)) {
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(vectorClass("VectorSpecies"), ClassName.get(Byte.class)), "B",
                    Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Bytes of {@link #S}'s lane count, widened to one float vector; null below 256-bit vectors (no such shape).\n")
                    .initializer("S.vectorBitSize() >= 256 ? $T.of(byte.class, $T.forBitSize(S.vectorBitSize() / 4)) : null",
                            vectorClass("VectorSpecies"), vectorClass("VectorShape")).build());
        }
        if (simd.engine().used()) {
            type.addField(FieldSpec.builder(TypeName.BOOLEAN, "WIDE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("GEMM tiles of 6 rows x 4 vectors (24 accumulators) where vectors are 512 bits wide (32 registers), else 6 x 2.\n")
                    .initializer("S.vectorBitSize() >= 512").build());
        }
        if (simd.engine().scratchFloats() > 0) {
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(ThreadLocal.class), ArrayTypeName.of(TypeName.FLOAT)), "GEMM_PANEL",
                    Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Each thread's F32 copy of the compact weight panel its GEMM is on ($L floats: the deepest panel).\n",
                            simd.engine().scratchFloats())
                    .initializer("$T.withInitial(() -> new float[$L])", ThreadLocal.class, simd.engine().scratchFloats()).build());
        }
        if (simd.streams()) {
            // not final on purpose: a stride C2 cannot prove constant keeps the panel loops from being unrolled
            type.addField(FieldSpec.builder(TypeName.INT, "STREAM", Modifier.PRIVATE, Modifier.STATIC)
                    .addJavadoc("The column step of the panel products' streaming loops: always 1, but not a constant to the JIT. C2\n"
                            + "unrolls a counted loop over a panel, and unrolled it streams the weights at half the memory bandwidth\n"
                            + "it reaches not unrolled (measured on AMD EPYC: 8 against 15 GB/s, 9 against 27 with huge pages).\n")
                    .initializer("1").build());
        }
        for (int width : simd.rowWidths()) {
            type.addField(FieldSpec.builder(TypeName.INT, "ROW" + width + "_BOUND", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Columns of a $L-wide state row that whole vectors cover; the rest run scalar.\n", width)
                    .initializer("S.loopBound($L)", width).build());
        }
    }

}

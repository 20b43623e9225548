package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.processor.plan.Segment;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.WeightLayout;
import dev.unroll.runtime.attention.WeightTensor;
import dev.unroll.runtime.attention.mode.Modes;
import dev.unroll.runtime.codegen.FusedWeights;
import dev.unroll.runtime.codegen.GeneratedLinearAttention;
import dev.unroll.runtime.codegen.Host;
import dev.unroll.runtime.codegen.PackedMatrix;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Emits {@code FooLayer}: the user-facing layer of a {@code @LinearAttention} descriptor. It packs
 * canonical weights into the kernels' fused buffers, owns the flavour choice, and calls the
 * generated static kernels; its nested {@code Provider} registers it with the runtime.
 */
public final class LinearAttentionLayerEmitter {
    private static final ClassName BASE = ClassName.get(GeneratedLinearAttention.class);
    private static final ClassName SPEC = ClassName.get(AttentionSpec.class);
    private static final ClassName WEIGHTS = ClassName.get(AttentionWeights.class);
    private static final ClassName STATE = ClassName.get(AttentionState.class);
    private static final ClassName LAYER = ClassName.get(LinearAttentionLayer.class);
    private static final ClassName FUSED = ClassName.get(FusedWeights.class);
    private static final ClassName PACKED = ClassName.get(PackedMatrix.class);
    private static final ClassName FORMAT = ClassName.get(WeightFormat.class);
    private static final ClassName SEGMENT = FUSED.nestedClass("Segment");
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName PARALLEL = ClassName.get(Host.class);
    private static final ClassName PROVIDER = ClassName.get(LinearAttentionProvider.class);
    private static final ClassName SAFETENSORS = ClassName.get(SafetensorsFile.class);
    private static final ClassName TENSORS = ClassName.get(TensorSource.class);
    private static final ClassName MODE = ClassName.get(AttentionMode.class);
    private static final ClassName PRECISION = ClassName.get(Precision.class);
    private static final ClassName PATH = ClassName.get("java.nio.file", "Path");

    private final LinearAttentionPlan plan;
    private final boolean simdGenerated;
    private final AttentionSpec spec;
    private final ClassName self;
    private final ClassName scalar;
    private final ClassName simd;
    private final boolean f32;
    private final WeightFormat format;

    /**
     * @param plan the layer's plan
     * @param simdGenerated whether {@code FooSimdKernels} is emitted too
     */
    public LinearAttentionLayerEmitter(LinearAttentionPlan plan, boolean simdGenerated) {
        this.plan = plan;
        this.simdGenerated = simdGenerated;
        this.spec = plan.descriptor().spec();
        this.format = plan.descriptor().weights();
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Layer");
        this.scalar = ClassName.get(pkg, plan.kernels().scalarClass());
        this.simd = ClassName.get(pkg, plan.kernels().simdClass());
        this.f32 = spec.precision() == Precision.F32;
    }

    /** @return the layer's class name */
    public ClassName className() {
        return self;
    }

    /** @return the provider's binary name, for the services file */
    public String providerBinaryName() {
        return self.reflectionName() + "$Provider";
    }

    /**
     * @param env what the compilation can see
     * @return the source file
     */
    public JavaFile emit(Environment env) {
        TypeName real = f32 ? TypeName.FLOAT : TypeName.DOUBLE;
        TypeName realArray = ArrayTypeName.of(real);
        TypeSpec.Builder t = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(BASE)
                .addJavadoc(classDoc());
        t.addField(FieldSpec.builder(SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The descriptor this layer was generated from.\n").initializer(specCode()).build());
        t.addField(FieldSpec.builder(TypeName.BOOLEAN, "SIMD_GENERATED", Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Whether {@code $L} was generated (jdk.incubator.vector was visible to the compiler).\n", simd.simpleName())
                .initializer("$L", simdGenerated).build());
        t.addField(FieldSpec.builder(ArrayTypeName.of(SEGMENT), "PROJECTION", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Rows of each canonical tensor in a head's block of the fused input projection.\n")
                .initializer(segments(plan.projection())).build());
        t.addField(FieldSpec.builder(ArrayTypeName.of(SEGMENT), "AUX", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Element-wise per-head vectors.\n")
                .initializer(segments(plan.aux())).build());
        for (String f : List.of("wIn", "wOut", "aux")) {
            // package-private: the TornadoVM glue class uploads these arrays as they are
            TypeName type = compact() && !f.equals("aux") ? PACKED : realArray;
            t.addField(FieldSpec.builder(type, f, Modifier.FINAL).addJavadoc(compact() && !f.equals("aux")
                    ? CodeBlock.of("Weights as $L panels (the same for both flavours).\n", format) : CodeBlock.of("Weights in this flavour's layout.\n"))
                    .build());
        }
        t.addMethod(constructor());
        t.addMethod(relayoutConstructor());
        t.addMethods(factories());
        t.addMethod(withFlavour());
        t.addMethod(kernel("kernelStep", "step", realArray));
        t.addMethod(kernel("kernelQuery", "query", realArray));
        t.addMethod(forward(realArray));
        t.addType(provider());
        return GeneratedFile.of(self.packageName(), t, plan.kernels().annotatedType(), env, null);
    }

    private CodeBlock classDoc() {
        CodeBlock.Builder d = CodeBlock.builder();
        d.add("The linear-attention layer described on {@link $L}:\n", plan.kernels().annotatedType());
        d.add("<pre>{@code\n$L\n}</pre>\n\n", plan.descriptor().describe());
        d.add("<p>Kernels: {@link $T} (scalar)$L. The flavour is chosen when the layer is built\n"
                + "({@link $T#choose}) and reported by {@link #implementation()}.\n\n", scalar,
                simdGenerated ? CodeBlock.of(" and {@code $L} (Vector API, same methods)", simd.simpleName()).toString() : " only (jdk.incubator.vector was not visible to the compiler)", FLAVOUR);
        d.add("<p>Weights are seeded ({@link #seeded()}: {@code 0.01 * N(0,1)} from xorshift64 seed $L in the reference's draw order) or\n"
                + "loaded by canonical name ({@link #load(Path)}), one tensor each:\n<ul>\n", spec.seed());
        List<WeightTensor> layout = WeightLayout.of(spec);
        for (WeightTensor w : layout) {
            if (w.head() <= 0) {
                d.add("  <li>{@code $L} $L\n", w.head() == 0 ? "heads.<h>." + w.field() : w.name(), Arrays.toString(w.shape()));
            }
        }
        d.add("</ul>\n");
        return d.build();
    }

    /** The descriptor as builder calls: the members every mode has, then the mode's own by their typed keys. */
    private CodeBlock specCode() {
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("\n.heads($L)\n.keyWidth($L)\n.valueWidth($L)\n.seed($LL)\n.precision($T.$L)", spec.heads(), spec.keyWidth(), spec.valueWidth(),
                spec.seed(), PRECISION, spec.precision().name());
        for (Map.Entry<String, Object> e : spec.parameters().asMap().entrySet()) {
            c.add(ParameterCode.set(ClassName.get(Modes.ownerOf(e.getKey()).getClass()), Modes.parameter(e.getKey()), e.getValue()));
        }
        return ParameterCode.chain(CodeBlock.of("$T.builder($T.$L, $L)", SPEC, MODE, spec.mode().name(), spec.width()), c.build(), ".buildUnchecked()");
    }

    private CodeBlock segments(List<Segment> segs) {
        CodeBlock.Builder c = CodeBlock.builder().add("{");
        boolean first = true;
        for (Segment s : segs) {
            c.add(first ? "\n" : ",\n");
            first = false;
            c.add("    new $T($S, $T.$L, $L)", SEGMENT, s.field(), scalar, s.offsetConstant(), s.rows());
        }
        return c.add(first ? "}" : "\n}").build();
    }

    private MethodSpec constructor() {
        return MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(WEIGHTS, "weights")
                .addParameter(FLAVOUR, "flavour")
                .addStatement("super(SPEC, $T.check(flavour, SIMD_GENERATED), $S)", FLAVOUR, self.simpleName())
                .beginControlFlow("if (!weights.spec().withPrecision(SPEC.precision()).equals(SPEC))")
                .addStatement("throw new $T(\"weights of \" + weights.spec().describe() + \" do not fit \" + SPEC.describe())",
                        ClassName.get(UnrollException.class))
                .endControlFlow()
                .addStatement("final double[] in = $T.perHead(weights, PROJECTION, $T.H, $T.HEAD_ROWS * $T.D, $T.D)", FUSED, scalar, scalar, scalar, scalar)
                .addStatement("final double[] out = weights.get($S)", "w_out")
                .addCode(compact()
                        ? CodeBlock.builder()
                                .addStatement("this.wIn = $T.pack($S, $T.f32(in), $T.P, $T.D, $T.$L, false)", PACKED, "w_in (fused)", FUSED, scalar, scalar,
                                        FORMAT, format.name())
                                .addStatement("this.wOut = $T.pack($S, $T.f32(out), $T.D, $T.HV, $T.$L, false)", PACKED, "w_out", FUSED, scalar, scalar,
                                        FORMAT, format.name()).build()
                        : CodeBlock.builder()
                                .addStatement("this.wIn = $L(simd() ? $T.transposePadded(in, $T.P, $T.D) : in)", convert(), FUSED, scalar, scalar)
                                .addStatement("this.wOut = $L(simd() ? $T.transposePadded(out, $T.D, $T.HV) : out)", convert(), FUSED, scalar, scalar)
                                .build())
                .addStatement("this.aux = $L($T.perHead(weights, AUX, $T.H, $T.AUX_PER_HEAD, 1))", convert(), FUSED, scalar, scalar)
                .build();
    }

    private boolean compact() {
        return format != WeightFormat.F32;
    }

    /** The kernels' arguments for a projection: the F32 array, or the compact arrays of the packed matrix. */
    private String matrix(String field) {
        return compact() ? CompactMatVec.packedArguments(field, format) : field;
    }

    /** The same weights in another flavour's layout (see {@code FusedWeights.relayout}). */
    private MethodSpec relayoutConstructor() {
        return MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(self, "other")
                .addParameter(FLAVOUR, "flavour")
                .addStatement("super(SPEC, $T.check(flavour, SIMD_GENERATED), $S)", FLAVOUR, self.simpleName())
                .addCode(compact()
                        ? CodeBlock.builder().addStatement("this.wIn = other.wIn").addStatement("this.wOut = other.wOut").build()
                        : CodeBlock.builder()
                                .addStatement("this.wIn = $T.relayout(other.wIn, $T.P, $T.D, other.simd(), simd())", FUSED, scalar, scalar)
                                .addStatement("this.wOut = $T.relayout(other.wOut, $T.D, $T.HV, other.simd(), simd())", FUSED, scalar, scalar)
                                .build())
                .addStatement("this.aux = other.aux")
                .build();
    }

    private MethodSpec withFlavour() {
        return MethodSpec.methodBuilder("withFlavour").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(self)
                .addParameter(FLAVOUR, "flavour")
                .beginControlFlow("if (flavour == flavour())")
                .addStatement("return this")
                .endControlFlow()
                .addStatement("return new $T(this, flavour)", self)
                .build();
    }

    private String convert() {
        return f32 ? "FusedWeights.f32" : "";
    }

    private List<MethodSpec> factories() {
        return List.of(
                MethodSpec.methodBuilder("seeded").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@return the layer with the descriptor's seeded weights, in the flavour {@link $T#choose} picks\n", FLAVOUR)
                        .addStatement("return new $T($T.seeded(SPEC), $T.choose(SIMD_GENERATED))", self, WEIGHTS, FLAVOUR).build(),
                MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@param weights weights of this descriptor\n@return the layer, in the flavour {@link $T#choose} picks\n", FLAVOUR)
                        .addParameter(WEIGHTS, "weights")
                        .addStatement("return new $T(weights, $T.choose(SIMD_GENERATED))", self, FLAVOUR).build(),
                MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@param weights weights of this descriptor\n@param flavour the flavour to run\n@return the layer\n")
                        .addParameter(WEIGHTS, "weights").addParameter(FLAVOUR, "flavour")
                        .addStatement("return new $T(weights, flavour)", self).build(),
                MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("Loads weights by canonical name from a safetensors file that holds exactly this layer's tensors.\n\n"
                                + "@param path the file\n@return the layer\n")
                        .addParameter(PATH, "path")
                        .beginControlFlow("try ($T file = $T.open(path))", SAFETENSORS, SAFETENSORS)
                        .addStatement("return of($T.load(SPEC, $T.of(file)))", WEIGHTS, TENSORS)
                        .endControlFlow().build());
    }

    private String args(String method, String ws) {
        String arr = f32 ? "F" : "D";
        String st = f32 ? "s.f32()" : "s.f64()";
        return switch (method) {
            case "step", "query" -> matrix("wIn") + ", " + matrix("wOut") + ", aux, " + st + ", s.meta(), x, 0, y, 0, " + ws + ".proj" + arr + ", " + ws + ".concat" + arr + ", " + ws + ".scratch" + arr;
            default -> matrix("wIn") + ", " + matrix("wOut") + ", aux, " + st + ", s.meta(), xs, ys, tokens, " + ws + ".proj" + arr + ", " + ws + ".concat" + arr + ", " + ws + ".scratch" + arr;
        };
    }

    private CodeBlock dispatch(String method, String args) {
        CodeBlock.Builder c = CodeBlock.builder();
        if (simdGenerated) {
            c.beginControlFlow("if (simd())").addStatement("$T.$L($L)", simd, method, args).nextControlFlow("else")
                    .addStatement("$T.$L($L)", scalar, method, args).endControlFlow();
        } else {
            c.addStatement("$T.$L($L)", scalar, method, args);
        }
        return c.build();
    }

    private MethodSpec kernel(String name, String method, TypeName realArray) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
                .addParameter(STATE, "s").addParameter(realArray, "x").addParameter(realArray, "y")
                .addStatement("final Workspace w = workspace(s, 1, $T.P_PAD, $T.HV, $T.SCRATCH_SIZE)", scalar, scalar, scalar)
                .addCode(dispatch(method, args(method, "w")))
                .build();
    }

    private MethodSpec forward(TypeName realArray) {
        String arr = f32 ? "F" : "D";
        String st = f32 ? "s.f32()" : "s.f64()";
        MethodSpec.Builder m = MethodSpec.methodBuilder("kernelForward").addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
                .addParameter(STATE, "s").addParameter(realArray, "xs").addParameter(TypeName.INT, "tokens").addParameter(realArray, "ys")
                .addStatement("final Workspace w = workspace(s, tokens, $T.P_PAD, $T.HV, $T.SCRATCH_SIZE)", scalar, scalar, scalar)
                .beginControlFlow("if (!parallelHeads(tokens))")
                .addCode(dispatch("forward", args("forward", "w")))
                .addStatement("return")
                .endControlFlow()
                .addComment("heads are independent: project once, scan the heads in parallel, project out once")
                .addCode(dispatch("projectSequence", matrix("wIn") + ", xs, w.proj" + arr + ", tokens"))
                .addStatement("final long mask = s.meta()[1]")
                .addStatement("final $T state = $L", realArray, st);
        CodeBlock scan = simdGenerated
                ? CodeBlock.of("h -> {\n$>if (simd()) {\n$>$T.scanHead(h, w.proj$L, aux, state, w.concat$L, w.scratch$L, mask, tokens);\n$<} else {\n$>"
                        + "$T.scanHead(h, w.proj$L, aux, state, w.concat$L, w.scratch$L, mask, tokens);\n$<}\n$<}", simd, arr, arr, arr, scalar, arr, arr, arr)
                : CodeBlock.of("h -> $T.scanHead(h, w.proj$L, aux, state, w.concat$L, w.scratch$L, mask, tokens)", scalar, arr, arr, arr);
        m.addStatement("$T.forEach($T.H, $L)", PARALLEL, scalar, scan);
        if (spec.definition().levelMask()) {
            m.addStatement("s.meta()[1] = $T.advanceMask(mask, $T.L, tokens)", FUSED, scalar);
        }
        m.addStatement("s.meta()[0] += tokens");
        m.addCode(dispatch("outputSequence", matrix("wOut") + ", w.concat" + arr + ", ys, tokens"));
        return m.build();
    }

    private TypeSpec provider() {
        return ProviderEmitter.provider(self, plan.kernels().annotatedType(), PROVIDER, SPEC, WEIGHTS, LAYER, format);
    }
}

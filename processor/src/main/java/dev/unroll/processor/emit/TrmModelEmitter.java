package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.Param;
import dev.unroll.processor.plan.TrmPlan;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.codegen.GeneratedTrm;
import dev.unroll.runtime.codegen.Host;
import dev.unroll.runtime.codegen.TrmBlock;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Emits {@code FooModel} for a {@code @TinyRecursiveModel}: the weights packed for the kernels, one
 * method per layer (layers unrolled), the supervision step with its cycles and latent steps written
 * out, and one dispatcher per kernel operation that picks the flavour and splits the work into
 * tasks for the runtime's thread pool.
 */
public final class TrmModelEmitter {
    private static final ClassName BASE = ClassName.get(GeneratedTrm.class);
    private static final ClassName BLOCK = ClassName.get(TrmBlock.class);
    private static final ClassName SPEC = ClassName.get(TrmSpec.class);
    private static final ClassName WEIGHTS = ClassName.get(TrmWeights.class);
    private static final ClassName CARRY = ClassName.get(TrmCarry.class);
    private static final ClassName STEP = ClassName.get(TrmStep.class);
    private static final ClassName MODEL = ClassName.get(TrmModel.class);
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName FORMAT = ClassName.get(WeightFormat.class);
    private static final ClassName PARALLEL = ClassName.get(Host.class);
    private static final ClassName CHECKS = ClassName.get(Host.class);
    private static final ClassName PROVIDER = ClassName.get(TrmProvider.class);
    private static final ClassName SAFETENSORS = ClassName.get(SafetensorsFile.class);
    private static final ClassName TENSORS = ClassName.get(TensorSource.class);
    private static final ClassName MIXER = ClassName.get(TokenMixer.class);
    private static final ClassName PATH = ClassName.get("java.nio.file", "Path");
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private final TrmPlan plan;
    private final TrmSpec spec;
    private final WeightFormat format;
    private final boolean simdGenerated;
    private final ClassName self;
    private final ClassName scalar;
    private final ClassName simd;
    private final boolean attention;

    /**
     * @param plan the model's plan
     * @param simdGenerated whether {@code FooSimdKernels} is emitted too
     */
    public TrmModelEmitter(TrmPlan plan, boolean simdGenerated) {
        this.plan = plan;
        this.spec = plan.descriptor().spec();
        this.format = plan.descriptor().weights();
        this.simdGenerated = simdGenerated;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Model");
        this.scalar = ClassName.get(pkg, plan.kernels().scalarClass());
        this.simd = ClassName.get(pkg, plan.kernels().simdClass());
        this.attention = spec.mixer() == TokenMixer.ATTENTION;
    }

    /** @return the provider's binary name */
    public String providerBinaryName() {
        return self.reflectionName() + "$Provider";
    }

    /**
     * @param env what the compilation can see
     * @return the source file
     */
    public JavaFile emit(Environment env) {
        TypeSpec.Builder t = TypeSpec.classBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.FINAL).superclass(BASE)
                .addJavadoc(classDoc());
        t.addField(FieldSpec.builder(SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The descriptor this model was generated from.\n").initializer(specCode()).build());
        t.addField(FieldSpec.builder(TypeName.BOOLEAN, "SIMD_GENERATED", Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Whether {@code $L} was generated.\n", simd.simpleName()).initializer("$L", simdGenerated).build());
        t.addMethod(constructor());
        t.addMethods(factories());
        t.addMethod(embed());
        t.addMethod(step());
        t.addMethod(network());
        t.addMethod(observedNetwork());
        t.addMethod(net());
        t.addMethod(layer());
        t.addMethod(heads());
        for (KernelMethod m : plan.kernels().methods()) {
            // device-only tasks are the TornadoVM glue's; the model runs the host kernels
            if (!m.deviceOnly()) {
                t.addMethod(dispatcher(m));
            }
        }
        t.addType(provider());
        return GeneratedFile.of(self.packageName(), t, plan.kernels().annotatedType(), env, null);
    }

    private CodeBlock classDoc() {
        CodeBlock.Builder d = CodeBlock.builder();
        d.add("The Tiny Recursive Model described on {@link $L}:\n", plan.kernels().annotatedType());
        d.add("<pre>{@code\n$L\n}</pre>\n\n", plan.descriptor().describe());
        d.add("<p>One supervision step is {@code $L} cycles of {@code $L} latent updates {@code z = net((x + y) + z)} and one answer update\n"
                + "{@code y = net(y + z)}: $L calls of the $L-layer network; $L GFLOP per puzzle. Thread-safe: each calling thread\n"
                + "computes in its own buffers.\n\n",
                spec.cycles(), spec.latentSteps(), spec.cycles() * (spec.latentSteps() + 1), spec.layers(),
                String.format(java.util.Locale.ROOT, "%.3f", spec.flopsPerStep() / 1e9));
        d.add("<p>Kernels: {@link $T} (scalar)$L. Weights load by the PyTorch state_dict names of the seed model ({@link #load(Path)}) or\n"
                + "are seeded with its distributions ({@link #seeded()}):\n<ul>\n", scalar,
                simdGenerated ? CodeBlock.of(" and {@code $L} (Vector API, same methods)", simd.simpleName()).toString() : " only");
        for (Map.Entry<String, long[]> e : TrmWeights.shapes(spec).entrySet()) {
            if (!e.getKey().startsWith("network.layers.") || e.getKey().startsWith("network.layers.0.")) {
                d.add("  <li>{@code $L} $L\n", e.getKey().replace("network.layers.0.", "network.layers.<l>."), java.util.Arrays.toString(e.getValue()));
            }
        }
        return d.add("</ul>\n").build();
    }

    /** The descriptor as builder calls over the parameter table (the members its mixer uses). */
    private CodeBlock specCode() {
        CodeBlock.Builder c = CodeBlock.builder();
        for (Parameter<?> p : TrmSpec.PARAMETERS) {
            if (TrmSpec.applies(p, spec.mixer())) {
                c.add(ParameterCode.set(SPEC, p, spec.get(p)));
            }
        }
        return ParameterCode.chain(CodeBlock.of("$T.builder()", SPEC), c.build(), ".buildUnchecked()");
    }

    private MethodSpec constructor() {
        return MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(WEIGHTS, "w").addParameter(FLAVOUR, "flavour")
                .addStatement("super(SPEC, w, $T.check(flavour, SIMD_GENERATED), $S, $T.$L)", FLAVOUR, self.simpleName(), FORMAT, format.name())
                .build();
    }

    private List<MethodSpec> factories() {
        return List.of(
                MethodSpec.methodBuilder("seeded").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@return the model with seeded weights (seed $L), in the flavour {@link $T#choose} picks\n", spec.seed(), FLAVOUR)
                        .addStatement("return new $T($T.seeded(SPEC), $T.choose(SIMD_GENERATED))", self, WEIGHTS, FLAVOUR).build(),
                MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@param weights weights of this descriptor\n@return the model, in the flavour {@link $T#choose} picks\n", FLAVOUR)
                        .addParameter(WEIGHTS, "weights").addStatement("return new $T(weights, $T.choose(SIMD_GENERATED))", self, FLAVOUR).build(),
                MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@param weights weights of this descriptor\n@param flavour the flavour to run\n@return the model\n")
                        .addParameter(WEIGHTS, "weights").addParameter(FLAVOUR, "flavour").addStatement("return new $T(weights, flavour)", self).build(),
                MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("Loads the weights by state_dict name from a safetensors file holding exactly this model's tensors.\n\n"
                                + "@param path the file\n@return the model\n")
                        .addParameter(PATH, "path")
                        .beginControlFlow("try ($T file = $T.open(path))", SAFETENSORS, SAFETENSORS)
                        .addStatement("return of($T.load(SPEC, $T.of(file)))", WEIGHTS, TENSORS)
                        .endControlFlow().build());
    }

    private MethodSpec embed() {
        return MethodSpec.methodBuilder("embed").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(FLOATS)
                .addParameter(ArrayTypeName.of(TypeName.INT), "tokens").addParameter(TypeName.INT, "batch")
                .addStatement("checkTokens(tokens, batch)")
                .addStatement("final float[] x = new float[batch * $T.L * $T.H]", scalar, scalar)
                .addStatement("$T.forEach(batch, b -> embed(tokens, emb, prefix, x, b))", PARALLEL)
                .addStatement("return x")
                .build();
    }

    private MethodSpec step() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("step").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(STEP)
                .addParameter(ArrayTypeName.of(TypeName.INT), "tokens").addParameter(CARRY, "carry")
                .addStatement("final int batch = checkCarry(carry)")
                .addStatement("final float[] x = embed(tokens, batch)")
                .addStatement("final float[] y = carry.y()")
                .addStatement("final float[] z = carry.z()")
                .addStatement("final Buffers buf = buffers(batch)")
                .addStatement("final float[] in = buf.in")
                .addStatement("final int n = batch * $T.L * $T.H", scalar, scalar);
        m.beginControlFlow("for (int cycle = 0; cycle < $T.CYCLES; cycle++)", scalar)
                .addComment("latent recursion: z = net((x + y) + z), LATENT_STEPS times")
                .beginControlFlow("for (int i = 0; i < $T.LATENT_STEPS; i++)", scalar)
                .addStatement("sum3(in, x, y, z, n)")
                .addStatement("net(in, z, buf)")
                .endControlFlow()
                .addComment("then the answer: y = net(y + z)")
                .addStatement("sum2(in, y, z, n)")
                .addStatement("net(in, y, buf)")
                .endControlFlow();
        return m.addStatement("return heads(y, batch)").build();
    }

    private MethodSpec network() {
        return MethodSpec.methodBuilder("network").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(FLOATS, "in").addParameter(TypeName.INT, "batch").addParameter(FLOATS, "out")
                .addStatement("$T.positive($S, batch)", CHECKS, "batch")
                .addStatement("$T.length($S, in, batch * $T.L * $T.H)", CHECKS, "in", scalar, scalar)
                .addStatement("$T.length($S, out, batch * $T.L * $T.H)", CHECKS, "out", scalar, scalar)
                .addStatement("net(in, out, buffers(batch))")
                .build();
    }

    private MethodSpec observedNetwork() {
        return MethodSpec.methodBuilder("network").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(FLOATS, "in").addParameter(TypeName.INT, "batch").addParameter(FLOATS, "out")
                .addParameter(ClassName.get(TrmModel.LayerObserver.class), "observer")
                .addStatement("$T.positive($S, batch)", CHECKS, "batch")
                .addStatement("$T.length($S, in, batch * $T.L * $T.H)", CHECKS, "in", scalar, scalar)
                .addStatement("$T.length($S, out, batch * $T.L * $T.H)", CHECKS, "out", scalar, scalar)
                .addStatement("final Buffers buf = buffers(batch)")
                .beginControlFlow("if (in != out)")
                .addStatement("System.arraycopy(in, 0, out, 0, batch * $T.L * $T.H)", scalar, scalar)
                .endControlFlow()
                .beginControlFlow("for (int l = 0; l < $T.LAYERS; l++)", scalar)
                .addStatement("layer(block(l), out, buf)")
                .addStatement("observer.afterLayer(l, out)")
                .endControlFlow()
                .build();
    }

    private MethodSpec net() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("net").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The shared network: {@code out = layers(in)} ({@code in} is left alone unless it is {@code out}).\n")
                .addParameter(FLOATS, "in").addParameter(FLOATS, "out").addParameter(ClassName.get("", "Buffers"), "buf")
                .beginControlFlow("if (in != out)")
                .addStatement("System.arraycopy(in, 0, out, 0, buf.batch * $T.L * $T.H)", scalar, scalar)
                .endControlFlow();
        return m.beginControlFlow("for (int l = 0; l < $T.LAYERS; l++)", scalar)
                .addStatement("layer(block(l), out, buf)")
                .endControlFlow()
                .build();
    }

    private MethodSpec layer() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("layer").addModifiers(Modifier.PRIVATE)
                .addJavadoc("One layer: {@code h = rms_norm(h + $L(h))}, then {@code h = rms_norm(h + mlp(h))}.\n", attention ? "attention" : "mixer")
                .addParameter(BLOCK, "w").addParameter(FLOATS, "hs").addParameter(ClassName.get("", "Buffers"), "buf")
                .addStatement("final int rows = buf.batch * $T.L", scalar);
        if (attention) {
            m.addComment("token mixing: non-causal attention with RoPE");
            m.addStatement("tiles(rows, 3 * $T.H, (r0, r1, n0, n1) -> qkvProject(" + matrix("w.qkvT") + ", hs, buf.qkv, r0, r1, n0, n1))", scalar);
            m.addStatement("rows(rows, ROW_BLOCK, (r0, r1) -> rope(buf.qkv, rope, r0, r1))");
            m.addStatement("$T.forEach(buf.batch * $T.HEADS, t -> attend(buf.qkv, buf.o, buf.scores, t * $T.L, t / $T.HEADS, t % $T.HEADS))",
                    PARALLEL, scalar, scalar, scalar, scalar);
            m.addStatement("tiles(rows, $T.H, (r0, r1, n0, n1) -> outProject(" + matrix("w.oT") + ", buf.o, buf.delta, r0, r1, n0, n1))", scalar);
        } else {
            m.addComment("token mixing: SwiGLU over the positions of each puzzle");
            m.addStatement("perPuzzle(buf.batch, 2 * $T.MIX_I, (b, m0, m1) -> mixerUp(w.mixUp, hs, buf.gu, b, m0, m1))", scalar);
            m.addStatement("perPuzzle(buf.batch, $T.MIX_I, (b, m0, m1) -> mixerAct(buf.gu, buf.act, b, m0, m1))", scalar);
            m.addStatement("perPuzzle(buf.batch, $T.L, (b, p0, p1) -> mixerDown(w.mixDown, buf.act, buf.delta, b, p0, p1))", scalar);
        }
        m.addStatement("rows(rows, ROW_BLOCK, (r0, r1) -> residualNorm(hs, buf.delta, r0, r1))");
        m.addComment("channel mixing: SwiGLU per position");
        m.addStatement("tiles(rows, 2 * $T.MLP_I, (r0, r1, n0, n1) -> mlpUp(" + matrix("w.mlpUpT") + ", hs, buf.gu, r0, r1, n0, n1))", scalar);
        m.addStatement("rows(rows, ROW_BLOCK, (r0, r1) -> mlpAct(buf.gu, buf.act, r0, r1))");
        m.addStatement("tiles(rows, $T.H, (r0, r1, n0, n1) -> mlpDown(" + matrix("w.mlpDownT") + ", buf.act, buf.delta, r0, r1, n0, n1))", scalar);
        m.addStatement("rows(rows, ROW_BLOCK, (r0, r1) -> residualNorm(hs, buf.delta, r0, r1))");
        return m.build();
    }

    private MethodSpec heads() {
        return MethodSpec.methodBuilder("heads").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(STEP)
                .addParameter(FLOATS, "y").addParameter(TypeName.INT, "batch")
                .addStatement("$T.positive($S, batch)", CHECKS, "batch")
                .addStatement("$T.length($S, y, batch * $T.L * $T.H)", CHECKS, "y", scalar, scalar)
                .addStatement("final float[] logits = new float[batch * $T.CONTEXT * $T.VOCAB]", scalar, scalar)
                .addStatement("final float[] halt = new float[batch * $T.HALT]", scalar)
                .addStatement("$T.forEach(batch, b -> heads(y, outW, qW, qB, logits, halt, b))", PARALLEL)
                .addStatement("return new $T(logits, halt)", STEP)
                .build();
    }

    private MethodSpec dispatcher(KernelMethod k) {
        if (k.name().equals("sum3") || k.name().equals("sum2")) {
            return sumDispatcher(k);
        }
        MethodSpec.Builder m = MethodSpec.methodBuilder(k.name()).addModifiers(Modifier.PRIVATE);
        List<String> args = new ArrayList<>();
        for (Param p : k.params()) {
            TypeName t = switch (p.type()) {
                case REAL_ARRAY -> FLOATS;
                case INT_ARRAY -> ArrayTypeName.of(TypeName.INT);
                case LONG_ARRAY -> ArrayTypeName.of(TypeName.LONG);
                case BYTE_ARRAY -> ArrayTypeName.of(TypeName.BYTE);
                case INT -> TypeName.INT;
                case LONG -> TypeName.LONG;
                case REAL -> TypeName.FLOAT;
                case BOOLEAN -> TypeName.BOOLEAN;
            };
            m.addParameter(t, p.name());
            args.add(p.name());
        }
        String a = args.stream().collect(Collectors.joining(", "));
        if (simdGenerated) {
            m.beginControlFlow("if (simd())").addStatement("$T.$L($L)", simd, k.name(), a).nextControlFlow("else")
                    .addStatement("$T.$L($L)", scalar, k.name(), a).endControlFlow();
        } else {
            m.addStatement("$T.$L($L)", scalar, k.name(), a);
        }
        return m.build();
    }

    /** sum3/sum2 take the whole array and split it into chunks for the pool. */
    private MethodSpec sumDispatcher(KernelMethod k) {
        boolean three = k.name().equals("sum3");
        String kernelArgs = three ? "out, x, y, z, from, to" : "out, x, y, from, to";
        MethodSpec.Builder m = MethodSpec.methodBuilder(k.name()).addModifiers(Modifier.PRIVATE)
                .addParameter(FLOATS, "out").addParameter(FLOATS, "x").addParameter(FLOATS, "y");
        if (three) {
            m.addParameter(FLOATS, "z");
        }
        m.addParameter(TypeName.INT, "n");
        CodeBlock body = simdGenerated
                ? CodeBlock.of("if (simd()) {\n$>$T.$L($L);\n$<} else {\n$>$T.$L($L);\n$<}\n", simd, k.name(), kernelArgs, scalar, k.name(), kernelArgs)
                : CodeBlock.of("$T.$L($L);\n", scalar, k.name(), kernelArgs);
        m.addCode("rows(n, 1 << 16, (from, to) -> {\n$>$L$<});\n", body);
        return m.build();
    }

    private TypeSpec provider() {
        return ProviderEmitter.provider(self, plan.kernels().annotatedType(), PROVIDER, SPEC, WEIGHTS, MODEL, format);
    }

    /** The arrays a kernel takes for a packed row projection, in the descriptor's format. */
    private String matrix(String field) {
        return CompactMatVec.packedArguments(field, format);
    }
}

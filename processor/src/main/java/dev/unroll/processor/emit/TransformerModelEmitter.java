package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.annotations.RopeLayout;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.Param;
import dev.unroll.processor.plan.TransformerPlan;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.codegen.DecoderLayer;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.transformer.HookPoint;
import dev.unroll.runtime.transformer.Hooks;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emits {@code FooModel} for a {@code @Transformer}: packed weights per layer, one method per layer
 * (its kernel calls and hook points written out), {@code forwardToken} with the layer sequence and
 * the {@code @RecurrentPass} block unrolled {@code depth} times, and per-kernel flavour dispatchers.
 */
public final class TransformerModelEmitter {
    private static final ClassName BASE = ClassName.get(GeneratedTransformer.class);
    private static final ClassName LAYER = ClassName.get(DecoderLayer.class);
    private static final ClassName SPEC = ClassName.get(TransformerSpec.class);
    private static final ClassName BLOCK = SPEC.nestedClass("Block");
    private static final ClassName WEIGHTS = ClassName.get(TransformerWeights.class);
    private static final ClassName CACHE = ClassName.get(KvCache.class);
    private static final ClassName HOOKS = ClassName.get(Hooks.class);
    private static final ClassName POINT = ClassName.get(HookPoint.class);
    private static final ClassName MODEL = ClassName.get(TransformerModel.class);
    private static final ClassName LLAMA2C = ClassName.get(Llama2c.class);
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName UNROLL_EXCEPTION = ClassName.get(UnrollException.class);
    private static final ClassName PROVIDER = ClassName.get(TransformerProvider.class);
    private static final ClassName SAFETENSORS = ClassName.get(SafetensorsFile.class);
    private static final ClassName TENSORS = ClassName.get(TensorSource.class);
    private static final ClassName ROPE = ClassName.get(RopeLayout.class);
    private static final ClassName PATH = ClassName.get("java.nio.file", "Path");
    private static final ClassName FORMAT = ClassName.get(WeightFormat.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private final TransformerPlan plan;
    private final TransformerSpec spec;
    private final WeightFormat format;
    private final boolean simdGenerated;
    private final ClassName self;
    private final ClassName scalar;
    private final ClassName simd;

    /**
     * @param plan the plan
     * @param simdGenerated whether the SIMD kernels are emitted
     */
    public TransformerModelEmitter(TransformerPlan plan, boolean simdGenerated) {
        this.plan = plan;
        this.spec = plan.descriptor().spec();
        this.format = plan.descriptor().weights();
        this.simdGenerated = simdGenerated;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Model");
        this.scalar = ClassName.get(pkg, plan.kernels().scalarClass());
        this.simd = ClassName.get(pkg, plan.kernels().simdClass());
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
        schedule(t);
        t.addMethod(constructor());
        t.addMethods(factories());
        t.addMethod(layer());
        t.addMethod(logits());
        t.addMethod(forwardToken());
        for (KernelMethod k : plan.kernels().methods()) {
            // device-only tasks are the TornadoVM glue's; the model runs the host kernels
            if (!k.deviceOnly()) {
                t.addMethod(dispatcher(k));
            }
        }
        t.addType(provider());
        return GeneratedFile.of(self.packageName(), t, plan.kernels().annotatedType(), env, null);
    }

    private CodeBlock classDoc() {
        CodeBlock.Builder d = CodeBlock.builder();
        d.add("The decoder described on {@link $L}:\n<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().annotatedType(), plan.descriptor().describe());
        d.add("<p>Kernels: {@link $T} (scalar)$L. Weights by Hugging Face Llama names ({@link #load(Path)} for safetensors) or from a\n"
                + "llama2.c checkpoint ({@link #loadLlama2c(Path)}). Generate with {@code CachedGenerator}; {@link #forwardToken} is the\n"
                + "descriptor's forward: every layer in order$L ({@code SCHEDULE}). Thread-safe: each thread computes in its own scratch.\n", scalar,
                simdGenerated ? CodeBlock.of(" and {@code $L} (Vector API, same methods)", simd.simpleName()).toString() : " only",
                spec.block() == null ? "" : ", layers " + spec.block().loopStart() + ".." + spec.block().loopEnd() + " "
                        + spec.block().depth() + " times");
        if (format != WeightFormat.F32) {
            d.add("\n<p>Matrices are stored as $L, converted from the F32 weights when the model is built; the embedding table and\n"
                    + "norms stay F32.\n", format);
        }
        return d.build();
    }

    /** The descriptor as builder calls over the parameter table: the required members first, then the others, then the block. */
    private CodeBlock specCode() {
        CodeBlock.Builder c = CodeBlock.builder();
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            if (!p.required()) {
                c.add(ParameterCode.set(SPEC, p, spec.get(p)));
            }
        }
        if (spec.block() != null) {
            c.add("\n.block($L, $L, $L)", spec.block().loopStart(), spec.block().loopEnd(), spec.block().depth());
        }
        return ParameterCode.chain(CodeBlock.of("$T.builder($L, $L, $L, $L, $L, $L)", SPEC, spec.layers(), spec.width(), spec.heads(),
                spec.ffnHidden(), spec.vocab(), spec.maxSeq()), c.build(), ".buildUnchecked()");
    }

    /**
     * The layer sequence of {@link #forwardToken}, computed from {@code SPEC} when the class
     * initialises (a literal array would grow the class initialiser with the layer count): the
     * recurrent block's layers appear once per pass, each step with its own cache.
     */
    private void schedule(TypeSpec.Builder t) {
        TransformerSpec.Block b = spec.block();
        t.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), "SCHEDULE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The layer of each step of one token's forward$L.\n",
                        b == null ? "" : " (layers " + b.loopStart() + ".." + b.loopEnd() + " " + b.depth() + " times)")
                .initializer("SPEC.forwardLayers()").build());
        t.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), "PASS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The pass of each step (1-based), as hooks report it.\n").initializer("SPEC.forwardPasses()").build());
        t.addField(FieldSpec.builder(TypeName.INT, "STEPS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Layer steps of one token's forward: $L.\n", spec.forwardLayers().length).initializer("SCHEDULE.length").build());
    }

    private MethodSpec constructor() {
        return MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(WEIGHTS, "w").addParameter(FLAVOUR, "flavour")
                .addStatement("super(SPEC, w, $T.check(flavour, SIMD_GENERATED), $S, $T.$L)", FLAVOUR, self.simpleName(), FORMAT, format.name())
                .build();
    }

    private List<MethodSpec> factories() {
        return List.of(
                MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@param weights weights of this decoder (any recurrent block)\n@return the model, in the flavour {@link $T#choose} picks\n", FLAVOUR)
                        .addParameter(WEIGHTS, "weights").addStatement("return new $T(weights, $T.choose(SIMD_GENERATED))", self, FLAVOUR).build(),
                MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("@param weights weights\n@param flavour the flavour\n@return the model\n")
                        .addParameter(WEIGHTS, "weights").addParameter(FLAVOUR, "flavour").addStatement("return new $T(weights, flavour)", self).build(),
                MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("Loads weights by Hugging Face Llama names from a safetensors file holding exactly them.\n\n@param path the file\n@return the model\n")
                        .addParameter(PATH, "path")
                        .beginControlFlow("try ($T file = $T.open(path))", SAFETENSORS, SAFETENSORS)
                        .addStatement("return of($T.load(SPEC.withoutBlock(), $T.of(file)))", WEIGHTS, TENSORS)
                        .endControlFlow().build(),
                MethodSpec.methodBuilder("loadLlama2c").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("Loads a llama2.c checkpoint; its header must describe this decoder.\n\n@param path the .bin file\n@return the model\n")
                        .addParameter(PATH, "path")
                        .addStatement("final $T.Checkpoint c = $T.load(path)", LLAMA2C, LLAMA2C)
                        .beginControlFlow("if (!c.spec().equals(SPEC.withoutBlock()))")
                        .addStatement("throw new $T(path + $S + c.spec().describe() + $S + SPEC.describe())", UNROLL_EXCEPTION, ": the checkpoint holds ", ", this model is ")
                        .endControlFlow()
                        .addStatement("return of(c.weights())")
                        .build());
    }

    private MethodSpec layer() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("layer").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "l").addParameter(FLOATS, "x").addParameter(TypeName.INT, "pos").addParameter(CACHE, "cache")
                .addParameter(HOOKS, "hooks").addParameter(TypeName.INT, "pass")
                .addStatement("checkPosition(pos)")
                .addStatement("final $T w = decoderLayer(l)", LAYER)
                .addStatement("final Scratch s = scratch()");
        hook(m, "RESID_PRE", "x");
        m.addStatement("attnIn(x, w.attnNorm, $L, $L, $L, s.xb, s.q, s.kv)", matrix("w.wq"), matrix("w.wk"), matrix("w.wv"));
        m.addStatement("rope(s.q, 0, $T.HEADS, pos, cos, sin)", scalar);
        m.addStatement("rope(s.kv, 0, $T.KV_HEADS, pos, cos, sin)", scalar);
        m.addStatement("cacheStore(s.kv, cache.k, cache.v, pos)");
        m.addStatement("attend(s.q, cache.k, cache.v, pos, s.att, s.o)");
        m.addStatement("attnOut($L, s.o, s.delta)", matrix("w.wo"));
        hook(m, "ATTN_OUT", "s.delta");
        m.addStatement("residual(x, s.delta)");
        hook(m, "RESID_MID", "x");
        m.addStatement("mlp(x, w.ffnNorm, $L, $L, $L, s.xb, s.hh, s.delta)", matrix("w.w1"), matrix("w.w3"), matrix("w.w2"));
        hook(m, "MLP_OUT", "s.delta");
        m.addStatement("residual(x, s.delta)");
        hook(m, "RESID_POST", "x");
        return m.build();
    }

    /** The arrays a kernel takes for a packed matrix: its values in the descriptor's format (and Q8's scales). */
    private String matrix(String field) {
        return CompactMatVec.packedArguments(field, format);
    }

    private static void hook(MethodSpec.Builder m, String point, String v) {
        m.beginControlFlow("if (hooks != null)").addStatement("hooks.fire($T.$L, l, pass, pos, $L)", POINT, point, v).endControlFlow();
    }

    private MethodSpec logits() {
        return MethodSpec.methodBuilder("logits").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(FLOATS, "x").addParameter(TypeName.INT, "pos").addParameter(FLOATS, "logits").addParameter(HOOKS, "hooks")
                .addStatement("final float[] xb = scratch().xb")
                .addStatement("finalNorm(x, finalNorm, xb)")
                .beginControlFlow("if (hooks != null)").addStatement("hooks.fire($T.FINAL_NORM, -1, 1, pos, xb)", POINT).endControlFlow()
                .addStatement("classify($L, xb, logits)", matrix("wcls"))
                .build();
    }

    private MethodSpec forwardToken() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("forwardToken").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "token").addParameter(TypeName.INT, "pos").addParameter(ArrayTypeName.of(CACHE), "caches")
                .addParameter(FLOATS, "x").addParameter(FLOATS, "logits").addParameter(HOOKS, "hooks")
                .addStatement("checkPosition(pos)")
                .addStatement("embed(token, x)")
                .beginControlFlow("if (hooks != null)").addStatement("hooks.fire($T.EMBED, -1, 1, pos, x)", POINT).endControlFlow();
        m.beginControlFlow("for (int step = 0; step < STEPS; step++)")
                .addStatement("layer(SCHEDULE[step], x, pos, caches[step], hooks, PASS[step])")
                .endControlFlow();
        return m.addStatement("logits(x, pos, logits, hooks)").build();
    }

    private MethodSpec dispatcher(KernelMethod k) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(k.name()).addModifiers(Modifier.PRIVATE);
        List<String> args = new ArrayList<>();
        for (Param p : k.params()) {
            m.addParameter(switch (p.type()) {
                case INT -> TypeName.INT;
                case INT_ARRAY -> ArrayTypeName.of(TypeName.INT);
                case BYTE_ARRAY -> ArrayTypeName.of(TypeName.BYTE);
                default -> FLOATS;
            }, p.name());
            args.add(p.name());
        }
        String a = String.join(", ", args);
        if (simdGenerated) {
            m.beginControlFlow("if (simd())").addStatement("$T.$L($L)", simd, k.name(), a).nextControlFlow("else")
                    .addStatement("$T.$L($L)", scalar, k.name(), a).endControlFlow();
        } else {
            m.addStatement("$T.$L($L)", scalar, k.name(), a);
        }
        return m.build();
    }

    private TypeSpec provider() {
        return ProviderEmitter.provider(self, plan.kernels().annotatedType(), PROVIDER, SPEC, WEIGHTS, MODEL, format);
    }
}

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
import dev.unroll.processor.plan.TrmPlan;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.codegen.GeneratedTrm;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmGlue;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import javax.lang.model.element.Modifier;

/**
 * Emits the TornadoVM glue of a Tiny Recursive Model ({@code FooTornado implements TrmRunner}): one
 * task graph holding one network call of a fixed batch (its input, every layer, its output) plus the
 * embedding and the heads, as the device tasks of the scalar kernel class. A supervision step executes
 * it once per network call of the recursion (T cycles of n latent updates and one answer update), a
 * one-element flag choosing the update; the weights go in once and the carry stays on the device
 * throughout, so only the flags and the tokens go in and the logits and halting outputs come back.
 * One graph per call rather than the whole recursion in one graph: TornadoVM 5.2 records a graph in a
 * fixed 8 KB buffer, which a seed-size recursion (360 tasks) overflows.
 */
final class TrmTornadoEmitter {
    private static final ClassName RUNNER = ClassName.get(TrmRunner.class);
    private static final ClassName GENERATED_TRM = ClassName.get(GeneratedTrm.class);
    private static final ClassName WEIGHTS = ClassName.get(TrmWeights.class);
    private static final ClassName STEP = ClassName.get(TrmStep.class);
    private static final ClassName CARRY = ClassName.get(TrmCarry.class);
    private static final ClassName SPEC = ClassName.get(TrmSpec.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName FLOATS2 = ArrayTypeName.of(FLOATS);
    private static final TypeName INTS = ArrayTypeName.of(TypeName.INT);

    private final TrmPlan plan;
    private final ClassName self;
    private final ClassName model;
    private final ClassName k;
    private final boolean attention;

    TrmTornadoEmitter(TrmPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Tornado");
        this.model = ClassName.get(pkg, plan.kernels().baseName() + "Model");
        this.k = ClassName.get(pkg, plan.kernels().deviceClass());
        this.attention = plan.descriptor().spec().mixer() == TokenMixer.ATTENTION;
    }

    /** @return the binary name of the glue's {@code DeviceGlue} provider, for the services file */
    String providerBinaryName() {
        return self.reflectionName() + "$Provider";
    }

    JavaFile emit(Environment env) {
        TypeSpec.Builder t = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(RUNNER)
                .addJavadoc(classDoc());
        t.addField(FieldSpec.builder(String.class, "GRAPH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Task-graph name, the prefix of TornadoVM's per-task flags ({@code -D$L.heads.device=0:1}).\n", graph())
                .initializer("$S", graph()).build());
        t.addField(FieldSpec.builder(GENERATED_TRM, "model", Modifier.PRIVATE, Modifier.FINAL).build());
        t.addField(FieldSpec.builder(TypeName.INT, "batch", Modifier.PRIVATE, Modifier.FINAL).build());
        t.addField(FieldSpec.builder(INTS, "tokens", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Token staging, sent on every execution.\n").build());
        t.addField(FieldSpec.builder(INTS, "reset", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("{@code reset[0] != 0}: the next execution starts from the initial carry (sent on every execution).\n")
                .initializer("{1}").build());
        t.addField(FieldSpec.builder(INTS, "which", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("{@code which[0]}: 0 for a latent update, 1 for the answer update (sent on every execution).\n")
                .initializer("{0}").build());
        for (String f : new String[] {"x", "y", "z", "hs", "delta", "gu", "act", "logits", "halt"}) {
            t.addField(FieldSpec.builder(FLOATS, f, Modifier.PRIVATE, Modifier.FINAL).build());
        }
        if (attention) {
            for (String f : new String[] {"qkv", "o", "scores", "cs"}) {
                t.addField(FieldSpec.builder(FLOATS, f, Modifier.PRIVATE, Modifier.FINAL).build());
            }
            t.addField(FieldSpec.builder(FLOATS2, "qkvT", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Per layer, transposed.\n").build());
            t.addField(FieldSpec.builder(FLOATS2, "oT", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Per layer, transposed.\n").build());
        } else {
            t.addField(FieldSpec.builder(FLOATS2, "mixUp", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Per layer, as stored.\n").build());
            t.addField(FieldSpec.builder(FLOATS2, "mixDown", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Per layer, as stored.\n").build());
        }
        t.addField(FieldSpec.builder(FLOATS2, "mlpUpT", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Per layer, transposed.\n").build());
        t.addField(FieldSpec.builder(FLOATS2, "mlpDownT", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Per layer, transposed.\n").build());
        t.addField(FieldSpec.builder(TornadoApi.PLAN, "plan", Modifier.PRIVATE, Modifier.FINAL).build());
        t.addField(FieldSpec.builder(TornadoApi.RESULT, "last", Modifier.PRIVATE).addJavadoc("The latest execution, for on-demand carry transfers.\n").build());
        t.addMethod(constructor());
        t.addMethod(layer());
        t.addMethod(TornadoApi.backend());
        t.addMethod(MethodSpec.methodBuilder("spec").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(SPEC)
                .addStatement("return model.spec()").build());
        t.addMethod(MethodSpec.methodBuilder("batch").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addStatement("return batch").build());
        t.addMethod(MethodSpec.methodBuilder("reset").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addStatement("reset[0] = 1").build());
        t.addMethod(step());
        t.addMethod(carry());
        t.addMethod(TornadoApi.close(graph()));
        t.addType(TornadoApi.glueProvider(self, model, ClassName.get(TrmGlue.class), MethodSpec.methodBuilder("open").returns(ClassName.get(TrmRunner.class))
                .addParameter(ClassName.get(TrmModel.class), "model").addParameter(TypeName.INT, "batch")
                .addParameter(ClassName.get(DeviceIndex.class), "device")
                .addStatement("return new $T(($T) model, batch, device.backend(), device.device())", self, this.model)));
        return GeneratedFile.of(self.packageName(), t, plan.kernels().annotatedType(), env, null);
    }

    private String graph() {
        return plan.kernels().baseName();
    }

    private CodeBlock classDoc() {
        return CodeBlock.builder()
                .add("TornadoVM glue for the model described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().descriptor())
                .add("<p>One task graph, {@value #GRAPH}, holds one network call of {@code batch} puzzles through the device tasks of\n")
                .add("{@link $T} (its input, every layer, its output), with the embedding and the heads. A supervision step executes\n", k)
                .add("it once per network call: {@code CYCLES} cycles of {@code LATENT_STEPS} latent updates and one answer update, the\n")
                .add("flag {@code which} choosing the update. The weights are copied once ({@code FIRST_EXECUTION}); the carry stays on the\n")
                .add("device between calls and steps ({@code persistOnDevice}), put back to its initial value by a device task after\n")
                .add("{@link #reset()}, and comes back only through {@link #carry()}; the flags and tokens go in and the logits and halting\n")
                .add("outputs come back on every execution. The plan is pre-compiled when this object is built and freed by {@link #close()}.\n\n")
                .add("<p>Built by the runtime ({@code TrmRunners.open}) when the TornadoVM runtime is loaded; on a plain JVM,\n")
                .add("constructing it fails in TornadoVM's {@code TaskGraph}. Not thread-safe: one caller at a time.\n")
                .build();
    }

    private MethodSpec constructor() {
        MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Builds the task graph and compiles its kernels; uploads nothing until the first {@link #step}.\n\n")
                .addJavadoc("@param model a generated model of this descriptor, in any flavour (the weights are read from it)\n")
                .addJavadoc("@param batch puzzles per step (TornadoVM captures scalar task arguments when the graph is built)\n")
                .addJavadoc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .addJavadoc("@param deviceIndex device index within that backend\n")
                .addParameter(GENERATED_TRM, "model").addParameter(TypeName.INT, "batch")
                .addParameter(TypeName.INT, "backendIndex").addParameter(TypeName.INT, "deviceIndex")
                .beginControlFlow("if (!model.spec().equals($T.SPEC))", model)
                .addStatement("throw new $T($S + model.spec().describe())", TornadoApi.UNROLL_EXCEPTION, graph() + "Tornado runs " + graph() + "Model, not ")
                .endControlFlow()
                .beginControlFlow("if (batch < 1)")
                .addStatement("throw new $T($S + batch + $S)", TornadoApi.UNROLL_EXCEPTION, "batch (", ") must be >= 1")
                .endControlFlow()
                .addStatement("this.model = model")
                .addStatement("this.batch = batch")
                .addStatement("final $T w = model.weights()", WEIGHTS)
                .addStatement("final int rows = batch * $T.L", k)
                .addStatement("final int n = rows * $T.H", k)
                .addStatement("this.tokens = new int[batch * $T.CONTEXT]", k)
                .addStatement("this.x = new float[n]")
                .addStatement("this.y = new float[n]")
                .addStatement("this.z = new float[n]")
                .addStatement("this.hs = new float[n]")
                .addStatement("this.delta = new float[n]");
        if (attention) {
            m.addStatement("this.gu = new float[rows * 2 * $T.MLP_I]", k)
                    .addStatement("this.act = new float[rows * $T.MLP_I]", k)
                    .addStatement("this.qkv = new float[rows * 3 * $T.H]", k)
                    .addStatement("this.o = new float[n]")
                    .addStatement("this.scores = new float[batch * $T.HEADS * $T.L * $T.L]", k, k, k)
                    .addStatement("this.cs = $T.ropeTable($T.SPEC)", GENERATED_TRM, model);
        } else {
            m.addComment("the token mixer and the channel MLP share the gate/up and activation buffers")
                    .addStatement("this.gu = new float[Math.max(rows * 2 * $T.MLP_I, batch * 2 * $T.MIX_I * $T.H)]", k, k, k)
                    .addStatement("this.act = new float[Math.max(rows * $T.MLP_I, batch * $T.MIX_I * $T.H)]", k, k, k);
        }
        m.addStatement("this.logits = new float[batch * $T.CONTEXT * $T.VOCAB]", k, k)
                .addStatement("this.halt = new float[batch * $T.HALT]", k);
        m.addStatement("final float[] emb = w.get($S)", "input_embedding.token_embedding.weight")
                .addStatement("final float[] prefix = w.get($S)", "input_embedding.summary_token")
                .addStatement("final float[] outW = w.get($S)", "output_head.proj.weight")
                .addStatement("final float[] qW = w.get($S)", "q_head.proj.weight")
                .addStatement("final float[] qB = w.get($S)", "q_head.proj.bias")
                .addStatement("final float[] yInit = w.get($S)", "y_init")
                .addStatement("final float[] zInit = w.get($S)", "z_init");
        String[] perLayer = attention ? new String[] {"qkvT", "oT", "mlpUpT", "mlpDownT"} : new String[] {"mixUp", "mixDown", "mlpUpT", "mlpDownT"};
        for (String f : perLayer) {
            m.addStatement("this.$L = new float[$T.LAYERS][]", f, k);
        }
        m.addCode(CodeBlock.builder()
                .add("final $T graph = new $T(GRAPH)\n", TornadoApi.TASK_GRAPH, TornadoApi.TASK_GRAPH).indent().indent()
                .add(".transferToDevice($T.FIRST_EXECUTION, emb, prefix, outW, qW, qB, yInit, zInit, x, y, z, hs, delta, gu, act$L)\n",
                        TornadoApi.MODE, attention ? ", qkv, o, scores, cs" : "")
                .add(".transferToDevice($T.EVERY_EXECUTION, tokens, reset, which)\n", TornadoApi.MODE)
                .add(".task($S, $T::embedTask, tokens, emb, prefix, x, batch)\n", "embed", k)
                .add(".task($S, $T::resetCarryTask, yInit, zInit, y, z, reset, n)\n", "reset", k)
                .add(".task($S, $T::recurseInTask, x, y, z, hs, which, n);\n", "in", k).unindent().unindent()
                .build());
        m.addComment("matrices the kernels read as B operands are stored transposed ([in][out]), as the host kernels read them")
                .beginControlFlow("for (int l = 0; l < $T.LAYERS; l++)", k);
        if (attention) {
            m.addStatement("qkvT[l] = $T.transpose(w.layer(l, $S), 3 * $T.H, $T.H)", GENERATED_TRM, "self_attn.qkv_proj.weight", k, k)
                    .addStatement("oT[l] = $T.transpose(w.layer(l, $S), $T.H, $T.H)", GENERATED_TRM, "self_attn.o_proj.weight", k, k);
        } else {
            m.addStatement("mixUp[l] = w.layer(l, $S)", "mixer.swiglu.gate_up_proj.weight")
                    .addStatement("mixDown[l] = w.layer(l, $S)", "mixer.swiglu.down_proj.weight");
        }
        m.addStatement("mlpUpT[l] = $T.transpose(w.layer(l, $S), 2 * $T.MLP_I, $T.H)", GENERATED_TRM, "mlp.gate_up_proj.weight", k, k)
                .addStatement("mlpDownT[l] = $T.transpose(w.layer(l, $S), $T.H, $T.MLP_I)", GENERATED_TRM, "mlp.down_proj.weight", k, k)
                .addStatement("graph.transferToDevice($T.FIRST_EXECUTION, $L[l], $L[l], mlpUpT[l], mlpDownT[l])", TornadoApi.MODE, perLayer[0], perLayer[1])
                .addStatement("layer(graph, l, rows)")
                .endControlFlow()
                .addStatement("graph.task($S, $T::recurseOutTask, hs, y, z, which, n)", "out", k)
                .addStatement("graph.task($S, $T::headsTask, y, outW, qW, qB, logits, halt, batch)", "heads", k)
                .addStatement("graph.persistOnDevice(y, z)")
                .addStatement("graph.transferToHost($T.EVERY_EXECUTION, logits, halt)", TornadoApi.MODE)
                .addCode(TornadoApi.plan("graph", CodeBlock.of("")));
        return m.build();
    }

    /** One layer on hs, in place: its tasks in the host model's order. */
    private MethodSpec layer() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("layer").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Adds layer {@code l} on {@code hs}, in place: token mixing, then channel mixing, each with its residual norm.\n")
                .addParameter(TornadoApi.TASK_GRAPH, "graph").addParameter(TypeName.INT, "l").addParameter(TypeName.INT, "rows")
                .addStatement("final String p = \"l\" + l + \"_\"");
        if (attention) {
            m.addStatement("graph.task(p + $S, $T::qkvTask, qkvT[l], hs, qkv, rows)", "qkv", k)
                    .addStatement("graph.task(p + $S, $T::ropeTask, qkv, cs, rows)", "rope", k)
                    .addStatement("graph.task(p + $S, $T::attendTask, qkv, o, scores, batch)", "attend", k)
                    .addStatement("graph.task(p + $S, $T::outProjectTask, oT[l], o, delta, rows)", "out", k);
        } else {
            m.addStatement("graph.task(p + $S, $T::mixerUpTask, mixUp[l], hs, gu, batch)", "mixUp", k)
                    .addStatement("graph.task(p + $S, $T::mixerActTask, gu, act, batch)", "mixAct", k)
                    .addStatement("graph.task(p + $S, $T::mixerDownTask, mixDown[l], act, delta, batch)", "mixDown", k);
        }
        return m.addStatement("graph.task(p + $S, $T::residualNormTask, hs, delta, rows)", "mixNorm", k)
                .addStatement("graph.task(p + $S, $T::mlpUpTask, mlpUpT[l], hs, gu, rows)", "mlpUp", k)
                .addStatement("graph.task(p + $S, $T::mlpActTask, gu, act, rows)", "mlpAct", k)
                .addStatement("graph.task(p + $S, $T::mlpDownTask, mlpDownT[l], act, delta, rows)", "mlpDown", k)
                .addStatement("graph.task(p + $S, $T::residualNormTask, hs, delta, rows)", "mlpNorm", k)
                .build();
    }

    private MethodSpec step() {
        return MethodSpec.methodBuilder("step").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(STEP)
                .addParameter(INTS, "in")
                .addStatement("$T.checkTokens(model.spec(), batch, in)", RUNNER)
                .addStatement("System.arraycopy(in, 0, tokens, 0, tokens.length)")
                .addComment("the deep recursion, as the seed runs it: z <- net(x + y + z) n times, then y <- net(y + z), T times")
                .beginControlFlow("for (int c = 0; c < $T.CYCLES; c++)", k)
                .beginControlFlow("for (int s = 0; s <= $T.LATENT_STEPS; s++)", k)
                .addStatement("which[0] = s < $T.LATENT_STEPS ? 0 : 1", k)
                .addStatement("last = plan.execute()")
                .addStatement("reset[0] = 0")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return new $T(logits.clone(), halt.clone())", STEP)
                .build();
    }

    private MethodSpec carry() {
        return MethodSpec.methodBuilder("carry").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(CARRY)
                .beginControlFlow("if (last == null || reset[0] != 0)")
                .addStatement("return model.initialCarry(batch)")
                .endControlFlow()
                .addStatement("last.transferToHost(y, z)")
                .addStatement("return new $T(y.clone(), z.clone(), batch)", CARRY)
                .build();
    }
}

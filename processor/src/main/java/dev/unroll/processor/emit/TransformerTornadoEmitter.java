package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.plan.TransformerPlan;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.codegen.KernelShape;
import dev.unroll.runtime.transformer.DecoderGlue;
import dev.unroll.runtime.transformer.DeviceDecoder;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import javax.lang.model.element.Modifier;

/**
 * Emits the TornadoVM glue of a decoder ({@code FooTornado implements DeviceDecoder}): task graphs that
 * run one decoding step over a layer schedule (embedding, the scheduled layers each with its own KV
 * cache on the device, final norm, classifier) as the device tasks of the scalar kernel class. Weights
 * and caches go in once; the token, the position and (for a recurrent pass with feedback) the feedback
 * vector go in on every execution, the logits come back. The runtime builds the schedule of a recurrent
 * pass ({@code TransformerRunners}); the layer loop is a loop in the constructor that adds tasks. A long
 * schedule is cut into several graphs of {@code LAYERS_PER_GRAPH} layers, each with its own plan, the
 * stream crossing between them (width floats): TornadoVM 5.2 records a graph in a fixed 8 KB buffer.
 *
 * <p>With {@code -Dunroll.tornado.kernels=gpu} the matrix-vector products run as the work-group
 * kernels of {@code FooGpuKernels} (one output row per work-group, a local-memory reduction) instead of
 * the loop kernels (one output row per work-item).
 */
final class TransformerTornadoEmitter {
    private static final ClassName DECODER = ClassName.get(DeviceDecoder.class);
    private static final ClassName GENERATED = ClassName.get(GeneratedTransformer.class);
    private static final ClassName WEIGHTS = ClassName.get(TransformerWeights.class);
    private static final ClassName GENERIC = ClassName.get(GenericTransformer.class);
    private static final ClassName KERNEL_SHAPE = ClassName.get(KernelShape.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName INTS = ArrayTypeName.of(TypeName.INT);

    private final TransformerPlan plan;
    private final ClassName self;
    private final ClassName model;
    private final ClassName k;
    private final ClassName gpu;

    TransformerTornadoEmitter(TransformerPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Tornado");
        this.model = ClassName.get(pkg, plan.kernels().baseName() + "Model");
        this.k = ClassName.get(pkg, plan.kernels().deviceClass());
        this.gpu = ClassName.get(pkg, GpuKernelsEmitter.className(plan.kernels().baseName()));
    }

    /** @return the binary name of the glue's {@code DeviceGlue} provider, for the services file */
    String providerBinaryName() {
        return self.reflectionName() + "$Provider";
    }

    JavaFile emit(Environment env) {
        TypeSpec.Builder t = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(DECODER)
                .addJavadoc(classDoc());
        t.addField(FieldSpec.builder(String.class, "GRAPH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Task-graph name, the prefix of TornadoVM's per-task flags ({@code -D$L.classify.device=0:1}).\n", graph())
                .initializer("$S", graph()).build());
        t.addField(FieldSpec.builder(INTS, "tok", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("The token, sent on every execution.\n")
                .initializer("new int[1]").build());
        t.addField(FieldSpec.builder(INTS, "pos", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("The position, sent on every execution.\n")
                .initializer("new int[1]").build());
        t.addField(FieldSpec.builder(FLOATS, "nudge", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The feedback added before schedule entry {@code nudgeAt}, sent on every execution when there is one.\n").build());
        t.addField(FieldSpec.builder(FLOATS, "logits", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Received on every execution.\n").build());
        t.addField(FieldSpec.builder(TypeName.BOOLEAN, "gpuShaped", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Whether the matrix-vector products run as work-group kernels.\n").build());
        t.addField(FieldSpec.builder(TypeName.INT, "LAYERS_PER_GRAPH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Scheduled layers per task graph: TornadoVM 5.2 records a graph in 8 KB, about eight layers' tasks.\n")
                .initializer("6").build());
        t.addField(FieldSpec.builder(ArrayTypeName.of(TornadoApi.PLAN), "plans", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("One plan per graph, executed in order for each token.\n").build());
        t.addMethod(constructor());
        t.addMethod(matVec());
        t.addMethod(step());
        t.addMethod(close());
        t.addType(TornadoApi.glueProvider(self, model, ClassName.get(DecoderGlue.class), MethodSpec.methodBuilder("open").returns(DECODER)
                .addParameter(ClassName.get(TransformerModel.class), "model").addParameter(INTS, "schedule").addParameter(TypeName.INT, "nudgeAt")
                .addParameter(ClassName.get(DeviceIndex.class), "device")
                .addStatement("return new $T(($T) model, schedule, nudgeAt, device.backend(), device.device())", self, this.model)));
        return GeneratedFile.of(self.packageName(), t, plan.kernels().annotatedType(), env, null);
    }

    private String graph() {
        return plan.kernels().baseName();
    }

    private CodeBlock classDoc() {
        return CodeBlock.builder()
                .add("TornadoVM glue for the decoder described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().descriptor())
                .add("<p>Task graphs named {@value #GRAPH}0, 1, ... run one decoding step through the device tasks of {@link $T}: the embedding,\n", k)
                .add("the layers of a schedule (a recurrent pass repeats its block; each entry has its own KV cache on the device),\n")
                .add("the final norm and the classifier. Weights and caches are copied once ({@code FIRST_EXECUTION}) and stay on the\n")
                .add("device; the token, the position and the feedback go in and the logits come back on every execution. The plan is\n")
                .add("pre-compiled when this object is built and freed by {@link #close()}. A schedule longer than {@link #LAYERS_PER_GRAPH}\n")
                .add("layers takes several graphs, one plan each, the stream crossing between them.\n\n")
                .add("<p>Built by the runtime ({@code TransformerRunners}, behind {@code CachedGenerator}) when the TornadoVM runtime is\n")
                .add("loaded; on a plain JVM, constructing it fails in TornadoVM's {@code TaskGraph}. Not thread-safe: one caller at a time.\n")
                .build();
    }

    private MethodSpec constructor() {
        MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Builds the task graph of one schedule and compiles its kernels.\n\n")
                .addJavadoc("@param model a generated model of this descriptor, in any flavour (the weights are read from it)\n")
                .addJavadoc("@param schedule the layers one token runs through, in order; entry i has cache i\n")
                .addJavadoc("@param nudgeAt the schedule entry before which the feedback is added, or -1 for none\n")
                .addJavadoc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .addJavadoc("@param deviceIndex device index within that backend\n")
                .addParameter(GENERATED, "model").addParameter(INTS, "schedule").addParameter(TypeName.INT, "nudgeAt")
                .addParameter(TypeName.INT, "backendIndex").addParameter(TypeName.INT, "deviceIndex")
                .beginControlFlow("if (!model.spec().withoutBlock().equals($T.SPEC.withoutBlock()))", model)
                .addStatement("throw new $T($S + model.spec().describe())", TornadoApi.UNROLL_EXCEPTION, graph() + "Tornado runs " + graph() + "Model, not ")
                .endControlFlow()
                .beginControlFlow("for (int l : schedule)")
                .beginControlFlow("if (l < 0 || l >= $T.LAYERS)", k)
                .addStatement("throw new $T($S + l + $S)", TornadoApi.UNROLL_EXCEPTION, "schedule: layer ", " does not exist")
                .endControlFlow()
                .endControlFlow()
                .addStatement("this.gpuShaped = $T.gpuShaped()", KERNEL_SHAPE)
                .addStatement("final $T w = model.weights()", WEIGHTS)
                .addStatement("this.nudge = new float[$T.D]", k)
                .addStatement("this.logits = new float[$T.VOCAB]", k)
                .addStatement("final float[] x = new float[$T.D]", k)
                .addStatement("final float[] xb = new float[$T.D]", k)
                .addStatement("final float[] q = new float[$T.D]", k)
                .addStatement("final float[] kv = new float[2 * $T.KV]", k)
                .addStatement("final float[] o = new float[$T.D]", k)
                .addStatement("final float[] hh = new float[$T.F]", k)
                .addStatement("final float[] att = new float[$T.HEADS * $T.MAX_SEQ]", k, k)
                .addStatement("final float[] cos = new float[$T.MAX_SEQ * ($T.HD / 2)]", k, k)
                .addStatement("final float[] sin = new float[$T.MAX_SEQ * ($T.HD / 2)]", k, k)
                .addStatement("$T.ropeTables(model.spec(), cos, sin)", GENERIC)
                .addStatement("final float[] emb = w.get($S)", "model.embed_tokens.weight")
                .addStatement("final float[] finalNorm = w.get($S)", "model.norm.weight")
                .addStatement("final float[] wcls = w.get($S)", plan.descriptor().spec().tiedClassifier() ? "model.embed_tokens.weight" : "lm_head.weight")
                .addStatement("final int graphs = Math.max(1, (schedule.length + LAYERS_PER_GRAPH - 1) / LAYERS_PER_GRAPH)")
                .addStatement("this.plans = new $T[graphs]", TornadoApi.PLAN)
                .beginControlFlow("for (int g = 0; g < graphs; g++)")
                .addStatement("final String name = GRAPH + g")
                .addStatement("final $T graph = new $T(name)", TornadoApi.TASK_GRAPH, TornadoApi.TASK_GRAPH)
                .addStatement("final $T grids = new $T()", TornadoApi.GRID_SCHEDULER, TornadoApi.GRID_SCHEDULER)
                .addStatement("graph.transferToDevice($T.FIRST_EXECUTION, cos, sin, xb, q, kv, o, hh, att)", TornadoApi.MODE)
                .addStatement("graph.transferToDevice($T.EVERY_EXECUTION, pos)", TornadoApi.MODE)
                .beginControlFlow("if (g == 0)")
                .addStatement("graph.transferToDevice($T.FIRST_EXECUTION, emb, x)", TornadoApi.MODE)
                .addStatement("graph.transferToDevice($T.EVERY_EXECUTION, tok)", TornadoApi.MODE)
                .addStatement("graph.task($S, $T::embedTask, emb, tok, x)", "embed", k)
                .nextControlFlow("else")
                .addComment("the stream comes from the previous graph's plan")
                .addStatement("graph.transferToDevice($T.EVERY_EXECUTION, x)", TornadoApi.MODE)
                .endControlFlow()
                .addStatement("final boolean[] uploaded = new boolean[$T.LAYERS]", k)
                .beginControlFlow("for (int i = g * LAYERS_PER_GRAPH; i < Math.min(schedule.length, (g + 1) * LAYERS_PER_GRAPH); i++)")
                .addStatement("final int l = schedule[i]")
                .addStatement("final String p = \"l\" + l + \"_\" + i + \"_\"")
                .addStatement("final String layer = \"model.layers.\" + l + \".\"")
                .addStatement("final float[] attnNorm = w.get(layer + $S)", "input_layernorm.weight")
                .addStatement("final float[] wq = w.get(layer + $S)", "self_attn.q_proj.weight")
                .addStatement("final float[] wk = w.get(layer + $S)", "self_attn.k_proj.weight")
                .addStatement("final float[] wv = w.get(layer + $S)", "self_attn.v_proj.weight")
                .addStatement("final float[] wo = w.get(layer + $S)", "self_attn.o_proj.weight")
                .addStatement("final float[] ffnNorm = w.get(layer + $S)", "post_attention_layernorm.weight")
                .addStatement("final float[] w1 = w.get(layer + $S)", "mlp.gate_proj.weight")
                .addStatement("final float[] w3 = w.get(layer + $S)", "mlp.up_proj.weight")
                .addStatement("final float[] w2 = w.get(layer + $S)", "mlp.down_proj.weight")
                .beginControlFlow("if (!uploaded[l])")
                .addComment("a layer that a recurrent pass repeats within this graph is uploaded once")
                .addStatement("graph.transferToDevice($T.FIRST_EXECUTION, attnNorm, wq, wk, wv, wo, ffnNorm, w1, w3, w2)", TornadoApi.MODE)
                .addStatement("uploaded[l] = true")
                .endControlFlow()
                .addStatement("final float[] kc = new float[$T.KV * $T.MAX_SEQ]", k, k)
                .addStatement("final float[] vc = new float[$T.KV * $T.MAX_SEQ]", k, k)
                .addStatement("graph.transferToDevice($T.FIRST_EXECUTION, kc, vc)", TornadoApi.MODE)
                .beginControlFlow("if (i == nudgeAt)")
                .addStatement("graph.transferToDevice($T.EVERY_EXECUTION, nudge)", TornadoApi.MODE)
                .addStatement("graph.task($S, $T::nudgeTask, x, nudge)", "nudge", k)
                .endControlFlow()
                .addStatement("graph.task(p + $S, $T::rmsNormTask, x, attnNorm, xb)", "attnNorm", k)
                .beginControlFlow("if (gpuShaped)")
                .addStatement("matVec(graph, grids, p + $S, wq, xb, q, 0, $T.D, $T.D, false)", "q", k, k)
                .addStatement("matVec(graph, grids, p + $S, wk, xb, kv, 0, $T.KV, $T.D, false)", "k", k, k)
                .addStatement("matVec(graph, grids, p + $S, wv, xb, kv, $T.KV, $T.KV, $T.D, false)", "v", k, k, k)
                .nextControlFlow("else")
                .addStatement("graph.task(p + $S, $T::qkvTask, wq, wk, wv, xb, q, kv)", "qkv", k)
                .endControlFlow()
                .addStatement("graph.task(p + $S, $T::ropeTask, q, kv, pos, cos, sin)", "rope", k)
                .addStatement("graph.task(p + $S, $T::cacheStoreTask, kv, kc, vc, pos)", "cache", k)
                .addStatement("graph.task(p + $S, $T::attendTask, q, kc, vc, pos, att, o)", "attend", k)
                .beginControlFlow("if (gpuShaped)")
                .addStatement("matVec(graph, grids, p + $S, wo, o, x, 0, $T.D, $T.D, true)", "attnOut", k, k)
                .nextControlFlow("else")
                .addStatement("graph.task(p + $S, $T::attnOutTask, wo, o, x)", "attnOut", k)
                .endControlFlow()
                .addStatement("graph.task(p + $S, $T::rmsNormTask, x, ffnNorm, xb)", "ffnNorm", k)
                .addStatement("graph.task(p + $S, $T::ffnUpTask, w1, w3, xb, hh)", "ffnUp", k)
                .beginControlFlow("if (gpuShaped)")
                .addStatement("matVec(graph, grids, p + $S, w2, hh, x, 0, $T.D, $T.F, true)", "ffnDown", k, k)
                .nextControlFlow("else")
                .addStatement("graph.task(p + $S, $T::ffnDownTask, w2, hh, x)", "ffnDown", k)
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (g == graphs - 1)")
                .addStatement("graph.transferToDevice($T.FIRST_EXECUTION, finalNorm, wcls, logits)", TornadoApi.MODE)
                .addStatement("graph.task($S, $T::rmsNormTask, x, finalNorm, xb)", "finalNorm", k)
                .beginControlFlow("if (gpuShaped)")
                .addStatement("matVec(graph, grids, $S, wcls, xb, logits, 0, $T.VOCAB, $T.D, false)", "classify", k, k)
                .nextControlFlow("else")
                .addStatement("graph.task($S, $T::classifyTask, wcls, xb, logits)", "classify", k)
                .endControlFlow()
                .addStatement("graph.transferToHost($T.EVERY_EXECUTION, logits)", TornadoApi.MODE)
                .nextControlFlow("else")
                .addStatement("graph.transferToHost($T.EVERY_EXECUTION, x)", TornadoApi.MODE)
                .endControlFlow()
                .addStatement("final $T p = new $T(graph.snapshot())", TornadoApi.PLAN, TornadoApi.PLAN)
                .addStatement("final $T d = backendIndex < 0 ? p : p.withDevice($T.getDevice(backendIndex, deviceIndex))", TornadoApi.PLAN, TornadoApi.PLAN)
                .addStatement("plans[g] = (gpuShaped ? d.withGridScheduler(grids) : d).withPreCompilation()")
                .endControlFlow();
        return m.build();
    }

    /** A work-group matrix-vector task and its grid: one row per group of {@code GpuKernels.LOCAL} work-items. */
    private MethodSpec matVec() {
        return MethodSpec.methodBuilder("matVec").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Adds {@code y = W x} (or {@code y += W x}) as a work-group task of {@link $T}, with its grid.\n", gpu)
                .addParameter(TornadoApi.TASK_GRAPH, "graph").addParameter(TornadoApi.GRID_SCHEDULER, "grids").addParameter(String.class, "id")
                .addParameter(FLOATS, "w")
                .addParameter(FLOATS, "x").addParameter(FLOATS, "y").addParameter(TypeName.INT, "yOff").addParameter(TypeName.INT, "rows")
                .addParameter(TypeName.INT, "cols").addParameter(TypeName.BOOLEAN, "accumulate")
                .addStatement("final $T context = new $T()", TornadoApi.KERNEL_CONTEXT, TornadoApi.KERNEL_CONTEXT)
                .addStatement("graph.task(id, $T::matVec, context, w, x, y, yOff, cols, accumulate ? 1 : 0)", gpu)
                .addStatement("final $T grid = new $T(rows * $T.LOCAL)", TornadoApi.WORKER_GRID_1D, TornadoApi.WORKER_GRID_1D, gpu)
                .addStatement("grid.setLocalWork($T.LOCAL, 1, 1)", gpu)
                .addStatement("grids.addWorkerGrid(graph.getTaskGraphName() + \".\" + id, grid)")
                .build();
    }

    private MethodSpec step() {
        return MethodSpec.methodBuilder("step").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "token").addParameter(TypeName.INT, "position").addParameter(FLOATS, "feedback")
                .addParameter(FLOATS, "out")
                .addStatement("tok[0] = token")
                .addStatement("pos[0] = position")
                .beginControlFlow("if (feedback != null)")
                .addStatement("System.arraycopy(feedback, 0, nudge, 0, nudge.length)")
                .endControlFlow()
                .beginControlFlow("for ($T plan : plans)", TornadoApi.PLAN)
                .addStatement("plan.execute()")
                .endControlFlow()
                .addStatement("System.arraycopy(logits, 0, out, 0, logits.length)")
                .build();
    }

    /** Frees every plan's device memory, reporting the first failure after trying them all. */
    private MethodSpec close() {
        return MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addStatement("$T failure = null", TornadoApi.UNROLL_EXCEPTION)
                .beginControlFlow("for ($T plan : plans)", TornadoApi.PLAN)
                .beginControlFlow("try")
                .addStatement("plan.close()")
                .nextControlFlow("catch ($T e)", TornadoApi.PLAN_EXCEPTION)
                .beginControlFlow("if (failure == null)")
                .addStatement("failure = new $T($S + e.getMessage(), e)", TornadoApi.UNROLL_EXCEPTION, "TornadoVM could not free the device memory of " + graph() + ": ")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (failure != null)")
                .addStatement("throw failure")
                .endControlFlow()
                .build();
    }
}

package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.comment;
import static dev.unroll.processor.host.Steps.let;
import static dev.unroll.processor.host.Steps.run;
import static dev.unroll.processor.host.Steps.when;
import static dev.unroll.processor.host.Tornado.id;
import static dev.unroll.processor.host.Tornado.task;
import static dev.unroll.processor.host.Tornado.transfer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.TransformerPlan;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.codegen.KernelShape;
import dev.unroll.runtime.transformer.DecoderGlue;
import dev.unroll.runtime.transformer.DeviceDecoder;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The TornadoVM glue of a decoder ({@code FooTornado}, a {@link DeviceDecoder}): task graphs that run a
 * block of tokens over a layer schedule (embedding, the scheduled layers each with its own KV cache on the
 * device, final norm and classifier of the tokens whose logits are wanted) as the device tasks of the
 * TornadoVM kernel class: a decoding step is a block of one, a prompt runs in blocks of
 * {@code DEVICE_BLOCK} (no logits), a step over many sequences in blocks of one token of each of up to
 * {@code DEVICE_BLOCK} sequences (every token's logits), each block's tasks walking a weight row for all
 * its tokens. Weights and caches go in once; the block's tokens, positions, cache offsets and feedback go
 * in on every execution and the wanted logits come back. A long schedule is cut into graphs of {@code LAYERS_PER_GRAPH} layers (TornadoVM 5.2 records a
 * graph in a fixed 8 KB buffer), the stream crossing between them. With {@code -Dunroll.tornado.kernels=gpu}
 * the matrix-vector products run as the work-group kernels of {@code FooGpuKernels}. F32 weights only.
 */
public final class TransformerDevice {
    private static final ClassName DECODER = ClassName.get(DeviceDecoder.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName INTS = ArrayTypeName.of(TypeName.INT);
    private static final Set<Modifier> FIELD = Set.of(Modifier.PRIVATE, Modifier.FINAL);

    private final TransformerPlan plan;
    private final ClassName self;
    private final ClassName model;
    private final ClassName k;
    private final ClassName gpu;
    private final String graph;

    private TransformerDevice(TransformerPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Tornado");
        this.model = ClassName.get(pkg, plan.kernels().baseName() + "Model");
        this.k = ClassName.get(pkg, plan.kernels().deviceClass());
        this.gpu = ClassName.get(pkg, plan.kernels().baseName() + "GpuKernels");
        this.graph = plan.kernels().baseName();
    }

    /**
     * @param plan the decoder's plan
     * @return its glue, or null when it runs on the JVM only (compact weights; Qwen's q/k/v biases or head norms,
     *     or heads other than width / heads wide, which the device tasks do not compute)
     */
    public static HostClass plan(TransformerPlan plan) {
        TransformerSpec spec = plan.descriptor().spec();
        boolean llama = !spec.qkvBias() && !spec.qkNorm() && spec.queryWidth() == spec.width();
        return plan.descriptor().weights() == WeightFormat.F32 && llama ? new TransformerDevice(plan).build() : null;
    }

    private HostClass build() {
        List<HostField> fields = List.of(
                Tornado.graphName(graph, "classify"),
                new HostField(HostField.Role.STAGING, INTS, "tok", FIELD, code("new int[$T.DEVICE_BLOCK]", k),
                        code("The block's tokens, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, INTS, "pos", FIELD, code("new int[$T.DEVICE_BLOCK]", k),
                        code("The block's positions, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, INTS, "cacheAt", FIELD, code("new int[$T.DEVICE_BLOCK]", k),
                        code("Where each token's sequence cache starts in the caches, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, INTS, "count", FIELD, code("new int[1]"), code("Tokens in the block, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, INTS, "logitCount", FIELD, code("new int[1]"),
                        code("How many of the block's last tokens get logits, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, FLOATS, "nudge", FIELD, null,
                        code("The feedback added to each token before schedule entry {@code nudgeAt} ([DEVICE_BLOCK][D]), sent on every execution when there\n"
                                + "is one.\n")),
                new HostField(HostField.Role.STAGING, FLOATS, "logits", FIELD, null,
                        code("The logits of the block's last {@code logitCount[0]} tokens ([min(sequences, DEVICE_BLOCK)][VOCAB]), received on every\n"
                                + "execution.\n")),
                new HostField(HostField.Role.CONSTANT, TypeName.INT, "sequences", FIELD, null,
                        code("Sequences with caches of their own on the device (1 for one generation).\n")),
                new HostField(HostField.Role.CONSTANT, TypeName.BOOLEAN, "gpuShaped", FIELD, null,
                        code("Whether the matrix-vector products run as work-group kernels.\n")),
                new HostField(HostField.Role.CONSTANT, TypeName.INT, "LAYERS_PER_GRAPH", Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL),
                        code("6"), code("Scheduled layers per task graph: TornadoVM 5.2 records a graph in 8 KB, about eight layers' tasks.\n")),
                new HostField(HostField.Role.PLAN, ArrayTypeName.of(Tornado.PLAN), "plans", FIELD, null,
                        code("One plan per graph, executed in order for each token.\n")));
        List<HostMethod> methods = new ArrayList<>();
        methods.add(oneSequence());
        methods.add(constructor());
        methods.add(matVec());
        methods.add(step());
        methods.add(block());
        methods.add(absorb());
        methods.add(sequencesMethod());
        methods.add(stepSequences());
        methods.add(runBlock());
        methods.add(close());
        HostMethod open = HostMethod.method("open", DECODER).param(ClassName.get(TransformerModel.class), "model").param(INTS, "schedule")
                .param(TypeName.INT, "nudgeAt").param(ClassName.get(DeviceIndex.class), "device")
                .steps(Steps.ret("new $T(($T) model, schedule, nudgeAt, 1, device.backend(), device.device())", self, model))
                .build();
        HostMethod openSequences = HostMethod.method("openSequences", DECODER).param(ClassName.get(TransformerModel.class), "model")
                .param(INTS, "schedule").param(TypeName.INT, "sequences").param(ClassName.get(DeviceIndex.class), "device")
                .steps(Steps.ret("new $T(($T) model, schedule, -1, sequences, device.backend(), device.device())", self, model))
                .build();
        return new HostClass(self, null, List.of(DECODER), doc(), CodeBlock.of(""), fields, methods,
                new HostClass.Glue(ClassName.get(DecoderGlue.class), model, List.of(open, openSequences)));
    }

    private CodeBlock doc() {
        return CodeBlock.builder()
                .add("TornadoVM glue for the decoder described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().descriptor())
                .add("<p>Task graphs named {@value #GRAPH}0, 1, ... run a block of tokens through the device tasks of {@link $T}: the\n", k)
                .add("embedding, the layers of a schedule (a recurrent pass repeats its block; each entry has its own KV cache on the device),\n")
                .add("the final norm and the classifier of the tokens whose logits are wanted. A decoding step ({@link #step}) is a block of\n")
                .add("one; a prompt ({@link #absorb}) runs in blocks of {@code $T.DEVICE_BLOCK} tokens without logits; a decoder built for many\n", k)
                .add("sequences ({@link #stepSequences}) steps one token of each of up to {@code DEVICE_BLOCK} sequences per block, each in its\n")
                .add("own caches, with every token's logits. A matrix task walks a weight row for all the block's tokens. Weights and caches are\n")
                .add("copied once ({@code FIRST_EXECUTION}) and stay on the device; the block's tokens, positions, cache offsets and\n")
                .add("feedback go in and the wanted logits come back on every execution. The plan is\n")
                .add("pre-compiled when this object is built and freed by {@link #close()}. A schedule longer than {@link #LAYERS_PER_GRAPH}\n")
                .add("layers takes several graphs, one plan each, the stream crossing between them.\n\n")
                .add("<p>Built by the runtime ({@code TransformerRunners}, behind {@code CachedGenerator}) when the TornadoVM runtime is\n")
                .add("loaded; on a plain JVM, constructing it fails in TornadoVM's {@code TaskGraph}. Not thread-safe: one caller at a time.\n")
                .build();
    }

    /** A matrix-vector product as the work-group kernel or the loop task. */
    private HostStep product(CodeBlock gpuCall, HostStep loopTask) {
        return new HostStep.If(code("gpuShaped"), List.of(new HostStep.Run(gpuCall)), List.of(loopTask));
    }

    private HostMethod constructor() {
        String wcls = plan.descriptor().spec().tiedClassifier() ? "model.embed_tokens.weight" : "lm_head.weight";
        List<HostStep> layerSteps = List.of(
                let(TypeName.INT, "l", "schedule[i]"),
                let(ClassName.get(String.class), "p", "\"l\" + l + \"_\" + i + \"_\""),
                let(ClassName.get(String.class), "layer", "\"model.layers.\" + l + \".\""),
                let(FLOATS, "attnNorm", "w.get(layer + $S)", "input_layernorm.weight"),
                let(FLOATS, "wq", "w.get(layer + $S)", "self_attn.q_proj.weight"),
                let(FLOATS, "wk", "w.get(layer + $S)", "self_attn.k_proj.weight"),
                let(FLOATS, "wv", "w.get(layer + $S)", "self_attn.v_proj.weight"),
                let(FLOATS, "wo", "w.get(layer + $S)", "self_attn.o_proj.weight"),
                let(FLOATS, "ffnNorm", "w.get(layer + $S)", "post_attention_layernorm.weight"),
                let(FLOATS, "w1", "w.get(layer + $S)", "mlp.gate_proj.weight"),
                let(FLOATS, "w3", "w.get(layer + $S)", "mlp.up_proj.weight"),
                let(FLOATS, "w2", "w.get(layer + $S)", "mlp.down_proj.weight"),
                when(code("!uploaded[l]"),
                        comment("a layer that a recurrent pass repeats within this graph is uploaded once"),
                        transfer("graph", true, false, "attnNorm", "wq", "wk", "wv", "wo", "ffnNorm", "w1", "w3", "w2"),
                        run("uploaded[l] = true")),
                let(FLOATS, "kc", "new float[sequences * $T.KV * $T.MAX_SEQ]", k, k),
                let(FLOATS, "vc", "new float[sequences * $T.KV * $T.MAX_SEQ]", k, k),
                transfer("graph", true, false, "kc", "vc"),
                when(code("i == nudgeAt"), transfer("graph", true, true, "nudge"), task("graph", id("nudge"), "nudgeTask", "x", "nudge", "count")),
                task("graph", code("p + $S", "attnNorm"), "rmsNormTask", "x", "attnNorm", "count", "xb"),
                new HostStep.If(code("gpuShaped"), List.of(
                        run("matVec(graph, grids, p + $S, wq, xb, $T.D, q, 0, $T.D, $T.D, $T.D, count, false)", "q", k, k, k, k),
                        run("matVec(graph, grids, p + $S, wk, xb, $T.D, kv, 0, 2 * $T.KV, $T.KV, $T.D, count, false)", "k", k, k, k, k),
                        run("matVec(graph, grids, p + $S, wv, xb, $T.D, kv, $T.KV, 2 * $T.KV, $T.KV, $T.D, count, false)", "v", k, k, k, k, k)),
                        List.of(task("graph", code("p + $S", "qkv"), "qkvTask", "wq", "wk", "wv", "xb", "count", "q", "kv"))),
                task("graph", code("p + $S", "attend"), "attendTask", "q", "kv", "kc", "vc", "pos", "cacheAt", "count", "cos", "sin", "att", "o"),
                product(CodeBlock.of("matVec(graph, grids, p + $S, wo, o, $T.D, x, 0, $T.D, $T.D, $T.D, count, true)", "attnOut", k, k, k, k),
                        task("graph", code("p + $S", "attnOut"), "attnOutTask", "wo", "o", "count", "x")),
                task("graph", code("p + $S", "ffnNorm"), "rmsNormTask", "x", "ffnNorm", "count", "xb"),
                task("graph", code("p + $S", "ffnUp"), "ffnUpTask", "w1", "w3", "xb", "count", "hh"),
                product(CodeBlock.of("matVec(graph, grids, p + $S, w2, hh, $T.F, x, 0, $T.D, $T.D, $T.F, count, true)", "ffnDown", k, k, k, k),
                        task("graph", code("p + $S", "ffnDown"), "ffnDownTask", "w2", "hh", "count", "x")));
        List<HostStep> perGraph = new ArrayList<>(List.of(
                let(ClassName.get(String.class), "name", "GRAPH + g"),
                Tornado.graph("graph", code("name")),
                let(Tornado.GRID_SCHEDULER, "grids", "new $T()", Tornado.GRID_SCHEDULER),
                transfer("graph", true, false, "cos", "sin", "xb", "q", "kv", "o", "hh", "att"),
                transfer("graph", true, true, "pos", "cacheAt", "count"),
                new HostStep.If(code("g == 0"),
                        List.of(transfer("graph", true, false, "emb", "x"), transfer("graph", true, true, "tok"),
                                task("graph", id("embed"), "embedTask", "emb", "tok", "count", "x")),
                        List.of(comment("the stream comes from the previous graph's plan"), transfer("graph", true, true, "x"))),
                let(ArrayTypeName.of(TypeName.BOOLEAN), "uploaded", "new boolean[$T.LAYERS]", k),
                new HostStep.Loop("i", code("g * LAYERS_PER_GRAPH"), code("Math.min(schedule.length, (g + 1) * LAYERS_PER_GRAPH)"), "", layerSteps),
                new HostStep.If(code("g == graphs - 1"),
                        List.of(transfer("graph", true, false, "finalNorm", "wcls", "logits"),
                                transfer("graph", true, true, "logitCount"),
                                task("graph", id("finalNorm"), "logitsNormTask", "x", "finalNorm", "count", "logitCount", "xb"),
                                product(CodeBlock.of("matVec(graph, grids, $S, wcls, xb, $T.D, logits, 0, $T.VOCAB, $T.VOCAB, $T.D, logitCount, false)", "classify",
                                        k, k, k, k),
                                        task("graph", id("classify"), "classifyTask", "wcls", "xb", "logitCount", "logits")),
                                transfer("graph", false, true, "logits")),
                        List.of(transfer("graph", false, true, "x"))),
                let(Tornado.PLAN, "p", "new $T(graph.snapshot())", Tornado.PLAN),
                let(Tornado.PLAN, "d", "backendIndex < 0 ? p : p.withDevice($T.getDevice(backendIndex, deviceIndex))", Tornado.PLAN),
                run("plans[g] = (gpuShaped ? d.withGridScheduler(grids) : d).withPreCompilation()")));
        List<HostStep> steps = new ArrayList<>(List.of(
                when(code("!model.spec().withoutBlock().equals($T.SPEC.withoutBlock())", model),
                        run("throw new $T($S + model.spec().describe())", UnrollException.class, graph + "Tornado runs " + graph + "Model, not ")),
                new HostStep.ForEach(TypeName.INT, "l", code("schedule"),
                        List.of(when(code("l < 0 || l >= $T.LAYERS", k), run("throw new $T($S + l + $S)", UnrollException.class, "schedule: layer ",
                                " does not exist")))),
                run("this.gpuShaped = $T.gpuShaped()", KernelShape.class),
                let(ClassName.get(TransformerWeights.class), "w", "model.weights()"),
                run("this.nudge = new float[$T.DEVICE_BLOCK * $T.D]", k, k),
                when(code("sequences < 1 || (long) sequences * $T.KV * $T.MAX_SEQ > Integer.MAX_VALUE - 8", k, k),
                        run("throw new $T($S + sequences + $S)", UnrollException.class, "sequences = ",
                                ": from 1 while the caches of all sequences of one scheduled layer fit in one Java array")),
                run("this.sequences = sequences"),
                run("this.logits = new float[Math.min(sequences, $T.DEVICE_BLOCK) * $T.VOCAB]", k, k),
                comment("activations: one row per token of a block"),
                let(FLOATS, "x", "new float[$T.DEVICE_BLOCK * $T.D]", k, k),
                let(FLOATS, "xb", "new float[$T.DEVICE_BLOCK * $T.D]", k, k),
                let(FLOATS, "q", "new float[$T.DEVICE_BLOCK * $T.D]", k, k),
                let(FLOATS, "kv", "new float[$T.DEVICE_BLOCK * 2 * $T.KV]", k, k),
                let(FLOATS, "o", "new float[$T.DEVICE_BLOCK * $T.D]", k, k),
                let(FLOATS, "hh", "new float[$T.DEVICE_BLOCK * $T.F]", k, k),
                let(FLOATS, "att", "new float[$T.HEADS * $T.MAX_SEQ]", k, k),
                let(FLOATS, "cos", "new float[$T.MAX_SEQ * ($T.HD / 2)]", k, k),
                let(FLOATS, "sin", "new float[$T.MAX_SEQ * ($T.HD / 2)]", k, k),
                run("$T.ropeTables(model.spec(), cos, sin)", GenericTransformer.class),
                let(FLOATS, "emb", "w.get($S)", "model.embed_tokens.weight"),
                let(FLOATS, "finalNorm", "w.get($S)", "model.norm.weight"),
                let(FLOATS, "wcls", "w.get($S)", wcls),
                let(TypeName.INT, "graphs", "Math.max(1, (schedule.length + LAYERS_PER_GRAPH - 1) / LAYERS_PER_GRAPH)"),
                run("this.plans = new $T[graphs]", Tornado.PLAN),
                new HostStep.Loop("g", code("0"), code("graphs"), "", perGraph)));
        return HostMethod.constructor(Modifier.PUBLIC)
                .doc("Builds the task graph of one schedule and compiles its kernels.\n\n")
                .doc("@param model a generated model of this descriptor, in any flavour (the weights are read from it)\n")
                .doc("@param schedule the layers one token runs through, in order; entry i has cache i\n")
                .doc("@param nudgeAt the schedule entry before which the feedback is added, or -1 for none\n")
                .doc("@param sequences sequences with caches of their own ({@link #stepSequences}); 1 for one generation\n")
                .doc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .doc("@param deviceIndex device index within that backend\n")
                .param(ClassName.get(GeneratedTransformer.class), "model").param(INTS, "schedule").param(TypeName.INT, "nudgeAt")
                .param(TypeName.INT, "sequences").param(TypeName.INT, "backendIndex").param(TypeName.INT, "deviceIndex")
                .steps(steps)
                .build();
    }

    /** A work-group matrix-vector task and its grid: one row per group of {@code GpuKernels.LOCAL} work-items. */
    private HostMethod matVec() {
        return HostMethod.method("matVec", TypeName.VOID, Modifier.PRIVATE)
                .doc("Adds {@code y[j] = W x[j]} (or {@code y[j] += W x[j]}) for the block's tokens as a work-group task of {@link $T}, with its grid.\n", gpu)
                .param(Tornado.TASK_GRAPH, "graph").param(Tornado.GRID_SCHEDULER, "grids").param(ClassName.get(String.class), "id").param(FLOATS, "w")
                .param(FLOATS, "x").param(TypeName.INT, "xStride").param(FLOATS, "y").param(TypeName.INT, "yOff").param(TypeName.INT, "yStride")
                .param(TypeName.INT, "rows").param(TypeName.INT, "cols").param(INTS, "n").param(TypeName.BOOLEAN, "accumulate")
                .steps(let(Tornado.KERNEL_CONTEXT, "context", "new $T()", Tornado.KERNEL_CONTEXT),
                        run("graph.task(id, $T::matVec, context, w, x, xStride, y, yOff, yStride, cols, n, accumulate ? 1 : 0)", gpu),
                        let(Tornado.WORKER_GRID_1D, "grid", "new $T(rows * $T.LOCAL)", Tornado.WORKER_GRID_1D, gpu),
                        run("grid.setLocalWork($T.LOCAL, 1, 1)", gpu),
                        run("grids.addWorkerGrid(graph.getTaskGraphName() + \".\" + id, grid)"))
                .build();
    }

    private HostMethod step() {
        return HostMethod.method("step", TypeName.VOID, Modifier.PUBLIC).override()
                .param(TypeName.INT, "token").param(TypeName.INT, "position").param(FLOATS, "feedback").param(FLOATS, "out")
                .steps(oneGeneration("step"),
                        run("tok[0] = token"),
                        run("pos[0] = position"),
                        run("count[0] = 1"),
                        run("logitCount[0] = 1"),
                        when(code("feedback != null"), run("System.arraycopy(feedback, 0, nudge, 0, $T.D)", k)),
                        run("runBlock()"),
                        run("System.arraycopy(logits, 0, out, 0, $T.VOCAB)", k))
                .build();
    }

    private HostMethod block() {
        return HostMethod.method("block", TypeName.INT, Modifier.PUBLIC).override()
                .steps(Steps.ret("$T.DEVICE_BLOCK", k))
                .build();
    }

    /** A prompt in blocks of DEVICE_BLOCK tokens: the same tasks, each matrix row read once per block. */
    private HostMethod absorb() {
        List<HostStep> perBlock = List.of(
                new HostStep.Loop("j", code("0"), code("m"), "", List.of(
                        run("tok[j] = tokens[from + done + j]"),
                        run("pos[j] = position + done + j"))),
                run("count[0] = m"),
                comment("a prompt's tokens need no logits: the caller's next step gives the newest token's"),
                run("logitCount[0] = 0"),
                when(code("feedback != null"), run("System.arraycopy(feedback, done * $T.D, nudge, 0, m * $T.D)", k, k)),
                run("runBlock()"));
        return HostMethod.method("absorb", TypeName.VOID, Modifier.PUBLIC).override()
                .param(INTS, "tokens").param(TypeName.INT, "from").param(TypeName.INT, "n").param(TypeName.INT, "position").param(FLOATS, "feedback")
                .steps(oneGeneration("absorb"),
                        inBlocks("n", perBlock))
                .build();
    }

    /** {@code body} for each block of DEVICE_BLOCK of {@code total} items: its first {@code done} and its size {@code m} declared. */
    private HostStep inBlocks(String total, List<HostStep> body) {
        List<HostStep> all = new ArrayList<>(List.of(
                let(TypeName.INT, "done", "b * $T.DEVICE_BLOCK", k),
                let(TypeName.INT, "m", "Math.min($T.DEVICE_BLOCK, " + total + " - done)", k)));
        all.addAll(body);
        return new HostStep.Loop("b", code("0"), code("(" + total + " + $T.DEVICE_BLOCK - 1) / $T.DEVICE_BLOCK", k, k), "", all);
    }

    /** A decoder built for many sequences has no one generation's caches to step: refused, naming the call. */
    private HostStep oneGeneration(String call) {
        return when(code("sequences != 1"), run("throw new $T($S + sequences + $S)", UnrollException.class,
                call + ": this decoder holds the caches of ", " sequences: step them with stepSequences"));
    }

    private HostMethod sequencesMethod() {
        return HostMethod.method("sequences", TypeName.INT, Modifier.PUBLIC).override()
                .steps(Steps.ret("sequences"))
                .build();
    }

    /** One token of every sequence, in blocks of DEVICE_BLOCK sequences, each attending to its own cache. */
    private HostMethod stepSequences() {
        List<HostStep> perBlock = List.of(
                new HostStep.Loop("j", code("0"), code("m"), "", List.of(
                        run("tok[j] = tokens[done + j]"),
                        run("pos[j] = positions[done + j]"),
                        run("cacheAt[j] = (done + j) * $T.KV * $T.MAX_SEQ", k, k))),
                run("count[0] = m"),
                run("logitCount[0] = m"),
                run("runBlock()"),
                new HostStep.Loop("j", code("0"), code("m"), "", List.of(
                        run("System.arraycopy(this.logits, j * $T.VOCAB, logits[done + j], 0, $T.VOCAB)", k, k))));
        return HostMethod.method("stepSequences", TypeName.VOID, Modifier.PUBLIC).override()
                .param(INTS, "tokens").param(INTS, "positions").param(ArrayTypeName.of(FLOATS), "logits")
                .steps(inBlocks("sequences", perBlock))
                .build();
    }

    /** The one-generation constructor: one cache per scheduled layer. */
    private HostMethod oneSequence() {
        return HostMethod.constructor(Modifier.PUBLIC)
                .doc("Builds the task graphs of one generation over a schedule and compiles their kernels.\n\n")
                .doc("@param model a generated model of this descriptor, in any flavour (the weights are read from it)\n")
                .doc("@param schedule the layers one token runs through, in order; entry i has cache i\n")
                .doc("@param nudgeAt the schedule entry before which the feedback is added, or -1 for none\n")
                .doc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .doc("@param deviceIndex device index within that backend\n")
                .param(ClassName.get(GeneratedTransformer.class), "model").param(INTS, "schedule").param(TypeName.INT, "nudgeAt")
                .param(TypeName.INT, "backendIndex").param(TypeName.INT, "deviceIndex")
                .steps(run("this(model, schedule, nudgeAt, 1, backendIndex, deviceIndex)"))
                .build();
    }

    private HostMethod runBlock() {
        return HostMethod.method("runBlock", TypeName.VOID, Modifier.PRIVATE)
                .doc("Runs the staged block through every graph, in order.\n")
                .steps(new HostStep.ForEach(Tornado.PLAN, "plan", code("plans"), List.of(run("plan.execute()"))))
                .build();
    }

    /** Frees every plan's device memory, reporting the first failure after trying them all. */
    private HostMethod close() {
        return HostMethod.method("close", TypeName.VOID, Modifier.PUBLIC).override()
                .steps(run("$T failure = null", UnrollException.class),
                        new HostStep.ForEach(Tornado.PLAN, "plan", code("plans"), List.of(
                                new HostStep.Try(List.of(run("plan.close()")), Tornado.PLAN_EXCEPTION, "e", List.of(
                                        when(code("failure == null"), run("failure = new $T($S + e.getMessage(), e)", UnrollException.class,
                                                "TornadoVM could not free the device memory of " + graph + ": ")))))),
                        when(code("failure != null"), run("throw failure")))
                .build();
    }
}

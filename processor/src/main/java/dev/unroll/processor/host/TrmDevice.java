package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.let;
import static dev.unroll.processor.host.Steps.loop;
import static dev.unroll.processor.host.Steps.ret;
import static dev.unroll.processor.host.Steps.run;
import static dev.unroll.processor.host.Steps.when;
import static dev.unroll.processor.host.Tornado.id;
import static dev.unroll.processor.host.Tornado.task;
import static dev.unroll.processor.host.Tornado.transfer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.TrmPlan;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.codegen.GeneratedTrm;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmGlue;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The TornadoVM glue of a Tiny Recursive Model ({@code FooTornado}, a {@link TrmRunner}): one task graph
 * holds one network call of {@code batch} puzzles (its input, every layer, its output) with the embedding
 * and the heads; a supervision step executes it once per network call, a flag choosing the latent or the
 * answer update. Weights go in once, the carry stays on the device between calls and steps. F32 weights only.
 */
public final class TrmDevice {
    private static final ClassName RUNNER = ClassName.get(TrmRunner.class);
    private static final ClassName GENERATED_TRM = ClassName.get(GeneratedTrm.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName FLOATS2 = ArrayTypeName.of(FLOATS);
    private static final TypeName INTS = ArrayTypeName.of(TypeName.INT);
    private static final Set<Modifier> FIELD = Set.of(Modifier.PRIVATE, Modifier.FINAL);

    private final TrmPlan plan;
    private final ClassName self;
    private final ClassName model;
    private final ClassName k;
    private final String graph;
    private final boolean attention;

    private TrmDevice(TrmPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Tornado");
        this.model = ClassName.get(pkg, plan.kernels().baseName() + "Model");
        this.k = ClassName.get(pkg, plan.kernels().deviceClass());
        this.graph = plan.kernels().baseName();
        this.attention = plan.descriptor().spec().mixer() == TokenMixer.ATTENTION;
    }

    /**
     * @param plan the model's plan
     * @return its glue, or null when it runs on the JVM only (compact weights)
     */
    public static HostClass plan(TrmPlan plan) {
        return plan.descriptor().weights() == WeightFormat.F32 ? new TrmDevice(plan).build() : null;
    }

    /** @return the per-layer weight arrays the layer tasks read, by mixer */
    private List<String> perLayer() {
        return attention ? List.of("qkvT", "oT", "mlpUpT", "mlpDownT") : List.of("mixUp", "mixDown", "mlpUpT", "mlpDownT");
    }

    private HostClass build() {
        List<HostField> fields = new ArrayList<>(List.of(
                Tornado.graphName(graph, "heads"),
                new HostField(HostField.Role.STATE, GENERATED_TRM, "model", FIELD, null, code("The model whose weights run.\n")),
                new HostField(HostField.Role.CONSTANT, TypeName.INT, "batch", FIELD, null, code("Puzzles per step.\n")),
                new HostField(HostField.Role.STAGING, INTS, "tokens", FIELD, null, code("Token staging, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, INTS, "reset", FIELD, code("{1}"),
                        code("{@code reset[0] != 0}: the next execution starts from the initial carry (sent on every execution).\n")),
                new HostField(HostField.Role.STAGING, INTS, "which", FIELD, code("{0}"),
                        code("{@code which[0]}: 0 for a latent update, 1 for the answer update (sent on every execution).\n"))));
        List<String> buffers = new ArrayList<>(List.of("x", "y", "z", "hs", "delta", "gu", "act", "logits", "halt"));
        if (attention) {
            buffers.addAll(List.of("qkv", "o", "scores", "cs"));
        }
        for (String b : buffers) {
            fields.add(new HostField(HostField.Role.BUFFER, FLOATS, b, FIELD, null, code("Device buffer, allocated once.\n")));
        }
        for (String w : perLayer()) {
            fields.add(new HostField(HostField.Role.WEIGHTS, FLOATS2, w, FIELD, null,
                    code(w.endsWith("T") ? "Per layer, transposed.\n" : "Per layer, as stored.\n")));
        }
        fields.add(new HostField(HostField.Role.PLAN, Tornado.PLAN, "plan", FIELD, null, code("The compiled task graph.\n")));
        fields.add(new HostField(HostField.Role.PLAN, Tornado.RESULT, "last", Set.of(Modifier.PRIVATE), null,
                code("The latest execution, for on-demand carry transfers.\n")));
        List<HostMethod> methods = new ArrayList<>();
        methods.add(constructor());
        methods.add(layer());
        methods.add(Tornado.backend());
        methods.add(HostMethod.method("spec", ClassName.get(TrmSpec.class), Modifier.PUBLIC).override().steps(ret("model.spec()")).build());
        methods.add(HostMethod.method("batch", TypeName.INT, Modifier.PUBLIC).override().steps(ret("batch")).build());
        methods.add(HostMethod.method("reset", TypeName.VOID, Modifier.PUBLIC).override().steps(run("reset[0] = 1")).build());
        methods.add(step());
        methods.add(HostMethod.method("carry", ClassName.get(TrmCarry.class), Modifier.PUBLIC).override()
                .steps(when(code("last == null || reset[0] != 0"), ret("model.initialCarry(batch)")),
                        run("last.transferToHost(y, z)"),
                        ret("new $T(y.clone(), z.clone(), batch)", TrmCarry.class))
                .build());
        methods.add(Tornado.close(graph));
        HostMethod open = HostMethod.method("open", RUNNER).param(ClassName.get(TrmModel.class), "model").param(TypeName.INT, "batch")
                .param(ClassName.get(DeviceIndex.class), "device")
                .steps(ret("new $T(($T) model, batch, device.backend(), device.device())", self, model))
                .build();
        return new HostClass(self, null, List.of(RUNNER), doc(), CodeBlock.of(""), fields, methods,
                new HostClass.Glue(ClassName.get(TrmGlue.class), model, open));
    }

    private CodeBlock doc() {
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

    private HostMethod constructor() {
        List<HostStep> steps = new ArrayList<>(List.of(
                when(code("!model.spec().equals($T.SPEC)", model),
                        run("throw new $T($S + model.spec().describe())", UnrollException.class, graph + "Tornado runs " + graph + "Model, not ")),
                when(code("batch < 1"), run("throw new $T($S + batch + $S)", UnrollException.class, "batch (", ") must be >= 1")),
                run("this.model = model"),
                run("this.batch = batch"),
                let(ClassName.get(TrmWeights.class), "w", "model.weights()"),
                let(TypeName.INT, "rows", "batch * $T.L", k),
                let(TypeName.INT, "n", "rows * $T.H", k),
                run("this.tokens = new int[batch * $T.CONTEXT]", k),
                run("this.x = new float[n]"),
                run("this.y = new float[n]"),
                run("this.z = new float[n]"),
                run("this.hs = new float[n]"),
                run("this.delta = new float[n]")));
        if (attention) {
            steps.addAll(List.of(
                    run("this.gu = new float[rows * 2 * $T.MLP_I]", k),
                    run("this.act = new float[rows * $T.MLP_I]", k),
                    run("this.qkv = new float[rows * 3 * $T.H]", k),
                    run("this.o = new float[n]"),
                    run("this.scores = new float[batch * $T.HEADS * $T.L * $T.L]", k, k, k),
                    run("this.cs = $T.ropeTable($T.SPEC)", GENERATED_TRM, model)));
        } else {
            steps.addAll(List.of(
                    Steps.comment("the token mixer and the channel MLP share the gate/up and activation buffers"),
                    run("this.gu = new float[Math.max(rows * 2 * $T.MLP_I, batch * 2 * $T.MIX_I * $T.H)]", k, k, k),
                    run("this.act = new float[Math.max(rows * $T.MLP_I, batch * $T.MIX_I * $T.H)]", k, k, k)));
        }
        steps.addAll(List.of(
                run("this.logits = new float[batch * $T.CONTEXT * $T.VOCAB]", k, k),
                run("this.halt = new float[batch * $T.HALT]", k),
                let(FLOATS, "emb", "w.get($S)", "input_embedding.token_embedding.weight"),
                let(FLOATS, "prefix", "w.get($S)", "input_embedding.summary_token"),
                let(FLOATS, "outW", "w.get($S)", "output_head.proj.weight"),
                let(FLOATS, "qW", "w.get($S)", "q_head.proj.weight"),
                let(FLOATS, "qB", "w.get($S)", "q_head.proj.bias"),
                let(FLOATS, "yInit", "w.get($S)", "y_init"),
                let(FLOATS, "zInit", "w.get($S)", "z_init")));
        for (String f : perLayer()) {
            steps.add(run("this.$L = new float[$T.LAYERS][]", f, k));
        }
        List<Object> first = new ArrayList<>(List.of("emb", "prefix", "outW", "qW", "qB", "yInit", "zInit", "x", "y", "z", "hs", "delta", "gu", "act"));
        if (attention) {
            first.addAll(List.of("qkv", "o", "scores", "cs"));
        }
        steps.addAll(List.of(
                Tornado.graph("graph", code("GRAPH")),
                transfer("graph", true, false, first.toArray()),
                transfer("graph", true, true, "tokens", "reset", "which"),
                task("graph", id("embed"), "embedTask", "tokens", "emb", "prefix", "x", "batch"),
                task("graph", id("reset"), "resetCarryTask", "yInit", "zInit", "y", "z", "reset", "n"),
                task("graph", id("in"), "recurseInTask", "x", "y", "z", "hs", "which", "n")));
        List<HostStep> layer = new ArrayList<>();
        if (attention) {
            layer.add(run("qkvT[l] = $T.transpose(w.layer(l, $S), 3 * $T.H, $T.H)", GENERATED_TRM, "self_attn.qkv_proj.weight", k, k));
            layer.add(run("oT[l] = $T.transpose(w.layer(l, $S), $T.H, $T.H)", GENERATED_TRM, "self_attn.o_proj.weight", k, k));
        } else {
            layer.add(run("mixUp[l] = w.layer(l, $S)", "mixer.swiglu.gate_up_proj.weight"));
            layer.add(run("mixDown[l] = w.layer(l, $S)", "mixer.swiglu.down_proj.weight"));
        }
        layer.add(run("mlpUpT[l] = $T.transpose(w.layer(l, $S), 2 * $T.MLP_I, $T.H)", GENERATED_TRM, "mlp.gate_up_proj.weight", k, k));
        layer.add(run("mlpDownT[l] = $T.transpose(w.layer(l, $S), $T.H, $T.MLP_I)", GENERATED_TRM, "mlp.down_proj.weight", k, k));
        layer.add(transfer("graph", true, false, code(perLayer().get(0) + "[l]"), code(perLayer().get(1) + "[l]"), "mlpUpT[l]", "mlpDownT[l]"));
        layer.add(run("layer(graph, l, rows)"));
        steps.add(new HostStep.Loop("l", code("0"), code("$T.LAYERS", k),
                "matrices the kernels read as B operands are stored transposed ([in][out]), as the host kernels read them", layer));
        steps.addAll(List.of(
                task("graph", id("out"), "recurseOutTask", "hs", "y", "z", "which", "n"),
                task("graph", id("heads"), "headsTask", "y", "outW", "qW", "qB", "logits", "halt", "batch"),
                new HostStep.Persist("graph", Steps.args("y", "z")),
                transfer("graph", false, true, "logits", "halt")));
        steps.addAll(Tornado.compile("graph", "this.plan", CodeBlock.of("")));
        return HostMethod.constructor(Modifier.PUBLIC)
                .doc("Builds the task graph and compiles its kernels; uploads nothing until the first {@link #step}.\n\n")
                .doc("@param model a generated model of this descriptor, in any flavour (the weights are read from it)\n")
                .doc("@param batch puzzles per step (TornadoVM captures scalar task arguments when the graph is built)\n")
                .doc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .doc("@param deviceIndex device index within that backend\n")
                .param(GENERATED_TRM, "model").param(TypeName.INT, "batch").param(TypeName.INT, "backendIndex").param(TypeName.INT, "deviceIndex")
                .steps(steps)
                .build();
    }

    /** One layer on hs, in place: its tasks in the host model's order. */
    private HostMethod layer() {
        List<HostStep> tasks = new ArrayList<>();
        if (attention) {
            tasks.add(task("graph", code("p + $S", "qkv"), "qkvTask", "qkvT[l]", "hs", "qkv", "rows"));
            tasks.add(task("graph", code("p + $S", "rope"), "ropeTask", "qkv", "cs", "rows"));
            tasks.add(task("graph", code("p + $S", "attend"), "attendTask", "qkv", "o", "scores", "batch"));
            tasks.add(task("graph", code("p + $S", "out"), "outProjectTask", "oT[l]", "o", "delta", "rows"));
        } else {
            tasks.add(task("graph", code("p + $S", "mixUp"), "mixerUpTask", "mixUp[l]", "hs", "gu", "batch"));
            tasks.add(task("graph", code("p + $S", "mixAct"), "mixerActTask", "gu", "act", "batch"));
            tasks.add(task("graph", code("p + $S", "mixDown"), "mixerDownTask", "mixDown[l]", "act", "delta", "batch"));
        }
        return HostMethod.method("layer", TypeName.VOID, Modifier.PRIVATE)
                .doc("Adds layer {@code l} on {@code hs}, in place: token mixing, then channel mixing, each with its residual norm.\n")
                .param(Tornado.TASK_GRAPH, "graph").param(TypeName.INT, "l").param(TypeName.INT, "rows")
                .steps(let(ClassName.get(String.class), "p", "\"l\" + l + \"_\""))
                .steps(tasks)
                .steps(task("graph", code("p + $S", "mixNorm"), "residualNormTask", "hs", "delta", "rows"),
                        task("graph", code("p + $S", "mlpUp"), "mlpUpTask", "mlpUpT[l]", "hs", "gu", "rows"),
                        task("graph", code("p + $S", "mlpAct"), "mlpActTask", "gu", "act", "rows"),
                        task("graph", code("p + $S", "mlpDown"), "mlpDownTask", "mlpDownT[l]", "act", "delta", "rows"),
                        task("graph", code("p + $S", "mlpNorm"), "residualNormTask", "hs", "delta", "rows"))
                .build();
    }

    private HostMethod step() {
        return HostMethod.method("step", ClassName.get(TrmStep.class), Modifier.PUBLIC).override().param(INTS, "in")
                .steps(run("$T.checkTokens(model.spec(), batch, in)", RUNNER),
                        run("System.arraycopy(in, 0, tokens, 0, tokens.length)"),
                        loop("c", code("$T.CYCLES", k), "the deep recursion, as the seed runs it: z <- net(x + y + z) n times, then y <- net(y + z), T times",
                                new HostStep.Loop("s", code("0"), code("$T.LATENT_STEPS + 1", k), "", List.of(
                                        run("which[0] = s < $T.LATENT_STEPS ? 0 : 1", k),
                                        run("last = plan.execute()"),
                                        run("reset[0] = 0")))),
                        ret("new $T(logits.clone(), halt.clone())", TrmStep.class))
                .build();
    }
}

package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.let;
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
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionStreamsGlue;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.StreamsRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The TornadoVM glue of a linear-attention layer for many streams ({@code FooTornadoStreams}, a
 * {@link StreamsRunner}): one task graph steps every stream by one token, the projections one matrix
 * product over the streams' tokens (the weights read once per execution, not once per stream), every
 * head of every stream in one parallel task on its own slice of the states. The states of all streams
 * live on the device as one array, {@code [streams][STATE_SIZE]}, and come back on request. Emitted
 * beside {@code FooTornado} (F32 layers with F32 weights).
 */
final class LinearAttentionStreamsDevice {
    private static final ClassName STATE = ClassName.get(AttentionState.class);
    private static final TypeName STATES = ArrayTypeName.of(STATE);
    private static final ClassName RUNNER = ClassName.get(StreamsRunner.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName LONGS = ArrayTypeName.of(TypeName.LONG);
    private static final Set<Modifier> FIELD = Set.of(Modifier.PRIVATE, Modifier.FINAL);

    private final LinearAttentionPlan plan;
    private final ClassName self;
    private final ClassName layer;
    private final ClassName k;
    private final String graph;

    LinearAttentionStreamsDevice(LinearAttentionPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "TornadoStreams");
        this.layer = ClassName.get(pkg, plan.kernels().baseName() + "Layer");
        this.k = ClassName.get(pkg, plan.kernels().deviceClass());
        this.graph = plan.kernels().baseName() + "-streams"; // no descriptor's base name holds a hyphen: never another glue's graph
    }

    HostClass build() {
        List<HostField> fields = List.of(
                Tornado.graphName(graph, "scan"),
                new HostField(HostField.Role.STATE, STATES, "states", FIELD, null,
                        CodeBlock.of("The streams, owned by this runner until it is closed; their states are on the device.\n")),
                new HostField(HostField.Role.STATE, FLOATS, "s", FIELD, null, CodeBlock.of("Every stream's state, {@code [streams][STATE_SIZE]}.\n")),
                new HostField(HostField.Role.STATE, LONGS, "metas", FIELD, null, CodeBlock.of("Every stream's counters, {@code [streams][2]}.\n")),
                new HostField(HostField.Role.STAGING, FLOATS, "xs", FIELD, null, CodeBlock.of("Input staging, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, FLOATS, "ys", FIELD, null, CodeBlock.of("Output staging, received on every execution.\n")),
                new HostField(HostField.Role.PLAN, Tornado.PLAN, "plan", FIELD, null, CodeBlock.of("The compiled task graph.\n")),
                new HostField(HostField.Role.PLAN, Tornado.RESULT, "last", Set.of(Modifier.PRIVATE), null,
                        CodeBlock.of("The latest execution, for on-demand state transfers.\n")));
        List<HostMethod> methods = new ArrayList<>();
        methods.add(constructor());
        methods.add(Tornado.backend());
        methods.add(HostMethod.method("streams", TypeName.INT, Modifier.PUBLIC).override().steps(ret("states.length")).build());
        methods.add(Tornado.execute("step", "step of " + graph, "[streams][D]"));
        methods.add(syncStates());
        methods.add(Tornado.close(graph));
        HostMethod open = HostMethod.method("open", RUNNER).param(ClassName.get(LinearAttentionLayer.class), "layer").param(STATES, "states")
                .param(ClassName.get(DeviceIndex.class), "device")
                .steps(Steps.comment("the glue uploads the scalar layout; a layer of the other flavour is relaid once"),
                        ret("new $T((($T) layer).withFlavour($T.SCALAR), states, device.backend(), device.device())", self, layer, Flavour.class))
                .build();
        return new HostClass(self, null, List.of(RUNNER), doc(), CodeBlock.of(""), fields, methods,
                new HostClass.Glue(ClassName.get(AttentionStreamsGlue.class), layer, open));
    }

    private CodeBlock doc() {
        return CodeBlock.builder()
                .add("TornadoVM glue for many streams of the layer described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().descriptor())
                .add("<p>One task graph, {@value #GRAPH}, steps every stream by one token through the device tasks of {@link $T}:\n", k)
                .add("{@code project} ({@code projectSequence} over the streams' tokens: the weights read once for all streams),\n")
                .add("{@code scan} ({@code scanStreams}, 2D {@code @Parallel} over streams and heads, each on its stream's state),\n")
                .add("and {@code output} ({@code outputStreams}: the output GEMM and each stream's counters): three launches per call.\n")
                .add("Weights, scratch and the states are copied once ({@code FIRST_EXECUTION}); the states stay on the device between\n")
                .add("calls ({@code persistOnDevice}) and come back only through {@link #syncStates()}; inputs and outputs move on every\n")
                .add("execution. The plan is pre-compiled when this object is built and freed by {@link #close()}: use try-with-resources.\n\n")
                .add("<p>Built by the runtime's backend selection ({@code LinearAttentionRunners.openStreams}, which also checks every\n")
                .add("call's arguments) when the TornadoVM runtime is loaded; on a plain JVM, constructing it fails in TornadoVM's\n")
                .add("{@code TaskGraph}.\n")
                .build();
    }

    private HostMethod constructor() {
        List<HostStep> steps = new ArrayList<>(List.of(
                when(code("layer.flavour() != $T.SCALAR", Flavour.class),
                        run("throw new $T($S + layer.flavour())", UnrollException.class,
                                "the TornadoVM glue uploads a scalar-layout layer (LinearAttentionRunners.openStreams converts one), not ")),
                when(code("states.length < 1"), run("throw new $T($S)", UnrollException.class, "states is empty: give at least one stream")),
                let(TypeName.INT, "n", "states.length"),
                when(code("(long) n * Math.max(Math.max($T.P_PAD, $T.STATE_SIZE), Math.max($T.D, $T.SCRATCH_SIZE)) > Integer.MAX_VALUE", k, k, k, k),
                        run("throw new $T(n + $S)", UnrollException.class, " streams do not fit in device arrays (more than 2^31 - 1 floats of one kind)")),
                Steps.loop("b", code("n"), "", when(code("!states[b].spec().equals(layer.spec())"),
                        run("throw new $T($S + b + $S + states[b].spec().describe() + $S + layer.spec().describe())", UnrollException.class,
                                "state ", " of ", " does not fit "))),
                run("this.states = states.clone()"),
                run("this.s = new float[n * $T.STATE_SIZE]", k),
                run("this.metas = new long[n * 2]"),
                Steps.loop("b", code("n"), "the streams' states, gathered into the device's layout",
                        run("System.arraycopy(states[b].f32(), 0, s, b * $T.STATE_SIZE, $T.STATE_SIZE)", k, k),
                        run("System.arraycopy(states[b].meta(), 0, metas, b * 2, 2)")),
                run("this.xs = new float[n * $T.D]", k),
                run("this.ys = new float[n * $T.D]", k),
                let(FLOATS, "proj", "new float[n * $T.P_PAD]", k),
                let(FLOATS, "concat", "new float[n * $T.HV]", k),
                let(FLOATS, "scratch", "new float[Math.max(1, n * $T.SCRATCH_SIZE)]", k),
                let(FLOATS, "aux", "layer.aux.length == 0 ? new float[1] : layer.aux"),
                Tornado.graph("graph", code("GRAPH")),
                transfer("graph", true, false, "layer.wIn", "layer.wOut", "aux", "s", "metas", "proj", "concat", "scratch"),
                transfer("graph", true, true, "xs"),
                task("graph", id("project"), "projectSequence", "layer.wIn", "xs", "proj", "n"),
                task("graph", id("scan"), "scanStreams", "proj", "aux", "s", "metas", "concat", "scratch", "n"),
                task("graph", id("output"), "outputStreams", "layer.wOut", "concat", "ys", "metas", "n"),
                new HostStep.Persist("graph", Steps.args("s", "metas")),
                transfer("graph", false, true, "ys")));
        steps.addAll(Tornado.compile("graph", "this.plan", CodeBlock.of("")));
        return HostMethod.constructor(Modifier.PUBLIC)
                .doc("Uploads nothing yet: the first {@link #step} copies the weights and the states in.\n\n")
                .doc("@param layer a scalar-flavour layer (its weights are uploaded as they are)\n")
                .doc("@param states the streams, distinct, owned by this runner until {@link #close()}\n")
                .doc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .doc("@param deviceIndex device index within that backend\n")
                .param(layer, "layer").param(STATES, "states").param(TypeName.INT, "backendIndex").param(TypeName.INT, "deviceIndex")
                .steps(steps)
                .build();
    }

    private HostMethod syncStates() {
        return HostMethod.method("syncStates", TypeName.VOID, Modifier.PUBLIC).override()
                .steps(when(code("last != null"),
                        run("last.transferToHost(s, metas)"),
                        Steps.loop("b", code("states.length"), "scattered back into each stream's own state",
                                run("System.arraycopy(s, b * $T.STATE_SIZE, states[b].f32(), 0, $T.STATE_SIZE)", k, k),
                                run("System.arraycopy(metas, b * 2, states[b].meta(), 0, 2)"))))
                .build();
    }
}

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
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionGlue;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The TornadoVM glue of a linear-attention layer ({@code FooTornado}, a {@link SequenceRunner}): one task
 * graph that runs a chunk of tokens through the device kernels (projection GEMM, parallel head scans,
 * output GEMM with the counters' advance): three launches per chunk. Weights go in once, the recurrent state stays on the device and comes back on
 * request, inputs go in and outputs come back on every execution. F32 layers with F32 weights only.
 */
public final class LinearAttentionDevice {
    private static final ClassName STATE = ClassName.get(AttentionState.class);
    private static final ClassName RUNNER = ClassName.get(SequenceRunner.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName LONGS = ArrayTypeName.of(TypeName.LONG);
    private static final Set<Modifier> FIELD = Set.of(Modifier.PRIVATE, Modifier.FINAL);

    private final LinearAttentionPlan plan;
    private final ClassName self;
    private final ClassName layer;
    private final ClassName k;
    private final String graph;

    private LinearAttentionDevice(LinearAttentionPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = ClassName.get(pkg, plan.kernels().baseName() + "Tornado");
        this.layer = ClassName.get(pkg, plan.kernels().baseName() + "Layer");
        this.k = ClassName.get(pkg, plan.kernels().deviceClass());
        this.graph = plan.kernels().baseName();
    }

    /**
     * @param plan the layer's plan
     * @return its glue classes (one stream in chunks, many streams one token each), none when the layer runs
     *     on the JVM only (F64, or compact weights)
     */
    public static List<HostClass> plan(LinearAttentionPlan plan) {
        if (plan.kernels().precision() != Precision.F32 || plan.descriptor().weights() != WeightFormat.F32) {
            return List.of();
        }
        return List.of(new LinearAttentionDevice(plan).build(), new LinearAttentionStreamsDevice(plan).build());
    }

    private HostClass build() {
        List<HostField> fields = List.of(
                Tornado.graphName(graph, "scan"),
                new HostField(HostField.Role.STATE, STATE, "state", FIELD, null, CodeBlock.of("The stream, owned by this runner until it is closed.\n")),
                new HostField(HostField.Role.CONSTANT, TypeName.INT, "tokens", FIELD, null, CodeBlock.of("Tokens per chunk.\n")),
                new HostField(HostField.Role.STAGING, FLOATS, "xs", FIELD, null, CodeBlock.of("Input staging, sent on every execution.\n")),
                new HostField(HostField.Role.STAGING, FLOATS, "ys", FIELD, null, CodeBlock.of("Output staging, received on every execution.\n")),
                new HostField(HostField.Role.PLAN, Tornado.PLAN, "plan", FIELD, null, CodeBlock.of("The compiled task graph.\n")),
                new HostField(HostField.Role.PLAN, Tornado.RESULT, "last", Set.of(Modifier.PRIVATE), null,
                        CodeBlock.of("The latest execution, for on-demand state transfers.\n")));
        List<HostMethod> methods = new ArrayList<>();
        methods.add(constructor());
        methods.add(Tornado.backend());
        methods.add(HostMethod.method("tokens", TypeName.INT, Modifier.PUBLIC).override().steps(ret("tokens")).build());
        methods.add(Tornado.execute("run", "chunk of " + graph, "[tokens][D]"));
        methods.add(HostMethod.method("syncState", TypeName.VOID, Modifier.PUBLIC).override()
                .steps(when(code("last != null"), run("last.transferToHost(state.f32(), state.meta())"))).build());
        methods.add(Tornado.close(graph));
        methods.add(HostMethod.method("orDummy", FLOATS, Modifier.PRIVATE, Modifier.STATIC).param(FLOATS, "a")
                .doc("Device buffers cannot be empty: a kernel that never reads an array still gets one element.\n")
                .steps(ret("a.length == 0 ? new float[1] : a")).build());
        HostMethod open = HostMethod.method("open", RUNNER).param(ClassName.get(LinearAttentionLayer.class), "layer").param(STATE, "state")
                .param(TypeName.INT, "tokens").param(ClassName.get(DeviceIndex.class), "device")
                .steps(Steps.comment("the glue uploads the scalar layout; a layer of the other flavour is relaid once"),
                        ret("new $T((($T) layer).withFlavour($T.SCALAR), state, tokens, device.backend(), device.device())", self, layer, Flavour.class))
                .build();
        return new HostClass(self, null, List.of(RUNNER), doc(), CodeBlock.of(""), fields, methods,
                new HostClass.Glue(ClassName.get(AttentionGlue.class), layer, open));
    }

    private CodeBlock doc() {
        return CodeBlock.builder()
                .add("TornadoVM glue for the layer described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().descriptor())
                .add("<p>One task graph, {@value #GRAPH}, runs a chunk of {@code tokens} tokens through the device tasks of {@link $T}:\n", k)
                .add("{@code project} ({@code projectSequence}, 2D {@code @Parallel} over tokens and rows), {@code scan}\n")
                .add("({@code scanHeads}, parallel over heads) and {@code output} ({@code outputChunk}: the output GEMM and the counters' advance).\n")
                .add("Weights and scratch are copied once ({@code FIRST_EXECUTION}); the recurrent state stays on the device between\n")
                .add("chunks ({@code persistOnDevice}) and comes back only through {@link #syncState()}; inputs and outputs move on every\n")
                .add("execution. The plan is pre-compiled when this object is built and freed by {@link #close()}: use try-with-resources.\n\n")
                .add("<p>Built by the runtime's backend selection ({@code LinearAttentionRunners.open}) when the TornadoVM runtime is\n")
                .add("loaded; on a plain JVM, constructing it fails in TornadoVM's {@code TaskGraph}.\n")
                .build();
    }

    private HostMethod constructor() {
        List<HostStep> steps = new ArrayList<>(List.of(
                when(code("layer.flavour() != $T.SCALAR", Flavour.class),
                        run("throw new $T($S + layer.flavour())", UnrollException.class,
                                "the TornadoVM glue uploads a scalar-layout layer (LinearAttentionRunners.open converts one), not ")),
                when(code("!state.spec().equals(layer.spec())"),
                        run("throw new $T($S + state.spec().describe() + $S + layer.spec().describe())", UnrollException.class, "state of ", " does not fit ")),
                when(code("tokens < 1"), run("throw new $T($S + tokens + $S)", UnrollException.class, "tokens (", ") must be >= 1")),
                run("this.state = state"),
                run("this.tokens = tokens"),
                run("this.xs = new float[tokens * $T.D]", k),
                run("this.ys = new float[tokens * $T.D]", k),
                let(FLOATS, "proj", "new float[tokens * $T.P_PAD]", k),
                let(FLOATS, "concat", "new float[tokens * $T.HV]", k),
                let(FLOATS, "scratch", "new float[Math.max(1, $T.SCRATCH_SIZE)]", k),
                let(FLOATS, "aux", "orDummy(layer.aux)"),
                let(FLOATS, "s", "state.f32()"),
                let(LONGS, "meta", "state.meta()"),
                Tornado.graph("graph", code("GRAPH")),
                transfer("graph", true, false, "layer.wIn", "layer.wOut", "aux", "s", "meta", "proj", "concat", "scratch"),
                transfer("graph", true, true, "xs"),
                task("graph", id("project"), "projectSequence", "layer.wIn", "xs", "proj", "tokens"),
                task("graph", id("scan"), "scanHeads", "proj", "aux", "s", "meta", "concat", "scratch", "tokens"),
                task("graph", id("output"), "outputChunk", "layer.wOut", "concat", "ys", "meta", "tokens"),
                new HostStep.Persist("graph", Steps.args("s", "meta")),
                transfer("graph", false, true, "ys")));
        steps.addAll(Tornado.compile("graph", "this.plan", CodeBlock.of("")));
        return HostMethod.constructor(Modifier.PUBLIC)
                .doc("Uploads nothing yet: the first {@link #run} copies the weights and the state in.\n\n")
                .doc("@param layer a scalar-flavour layer (its weights are uploaded as they are)\n")
                .doc("@param state the stream, owned by this runner until {@link #close()}\n")
                .doc("@param tokens tokens per chunk (TornadoVM captures scalar task arguments when the graph is built)\n")
                .doc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .doc("@param deviceIndex device index within that backend\n")
                .param(layer, "layer").param(STATE, "state").param(TypeName.INT, "tokens").param(TypeName.INT, "backendIndex")
                .param(TypeName.INT, "deviceIndex")
                .steps(steps)
                .build();
    }
}

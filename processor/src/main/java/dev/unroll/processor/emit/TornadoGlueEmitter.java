package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionGlue;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;
import javax.lang.model.element.Modifier;

/**
 * Emits the TornadoVM glue of a linear-attention layer ({@code FooTornado}): one task graph that runs a
 * chunk of tokens through the scalar kernels' four device tasks (projection GEMM, parallel head
 * scans, counters, output GEMM). Weights go in once ({@code FIRST_EXECUTION}), the recurrent state stays
 * on the device ({@code persistOnDevice}) and comes back only on request, inputs go in and outputs come
 * back on every execution. Emitted only when tornado-api is visible to the compiler, for F32 plans.
 */
public final class TornadoGlueEmitter {
    private static final ClassName TASK_GRAPH = TornadoApi.TASK_GRAPH;
    private static final ClassName PLAN = TornadoApi.PLAN;
    private static final ClassName RESULT = TornadoApi.RESULT;
    private static final ClassName MODE = TornadoApi.MODE;
    private static final ClassName STATE = ClassName.get(AttentionState.class);
    private static final ClassName RUNNER = ClassName.get(SequenceRunner.class);
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName UNROLL_EXCEPTION = ClassName.get(UnrollException.class);
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName LONGS = ArrayTypeName.of(TypeName.LONG);

    private final LinearAttentionPlan plan;
    private final ClassName self;
    private final ClassName layer;
    private final ClassName kernels;

    /** @param plan an F32 layer plan */
    public TornadoGlueEmitter(LinearAttentionPlan plan) {
        this.plan = plan;
        String pkg = plan.kernels().packageName();
        this.self = glueClass(pkg, plan.kernels().baseName());
        this.layer = ClassName.get(pkg, plan.kernels().baseName() + "Layer");
        this.kernels = ClassName.get(pkg, plan.kernels().deviceClass());
    }

    /**
     * @param pkg package
     * @param baseName annotated type's simple name
     * @return the glue class's name
     */
    public static ClassName glueClass(String pkg, String baseName) {
        return ClassName.get(pkg, baseName + "Tornado");
    }

    /** @return the binary name of the glue's {@code DeviceGlue} provider, for the services file */
    String providerBinaryName() {
        return self.reflectionName() + "$Provider";
    }

    /**
     * @param env what the compilation can see
     * @return the glue source
     */
    public JavaFile emit(Environment env) {
        TypeSpec.Builder t = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(RUNNER)
                .addJavadoc(classDoc());
        t.addField(FieldSpec.builder(String.class, "GRAPH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Task-graph name, the prefix of TornadoVM's per-task flags ({@code -D$L.scan.device=0:1}).\n", graphName())
                .initializer("$S", graphName()).build());
        t.addField(STATE, "state", Modifier.PRIVATE, Modifier.FINAL);
        t.addField(TypeName.INT, "tokens", Modifier.PRIVATE, Modifier.FINAL);
        t.addField(FieldSpec.builder(FLOATS, "xs", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Input staging, sent on every execution.\n").build());
        t.addField(FieldSpec.builder(FLOATS, "ys", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Output staging, received on every execution.\n").build());
        t.addField(PLAN, "plan", Modifier.PRIVATE, Modifier.FINAL);
        t.addField(FieldSpec.builder(RESULT, "last", Modifier.PRIVATE).addJavadoc("The latest execution, for on-demand state transfers.\n").build());
        t.addMethod(constructor());
        t.addMethod(TornadoApi.backend());
        t.addMethod(MethodSpec.methodBuilder("tokens").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addStatement("return tokens").build());
        t.addMethod(run());
        t.addMethod(syncState());
        t.addMethod(TornadoApi.close(graphName()));
        t.addMethod(MethodSpec.methodBuilder("orDummy").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(FLOATS)
                .addJavadoc("Device buffers cannot be empty: a kernel that never reads an array still gets one element.\n")
                .addParameter(FLOATS, "a").addStatement("return a.length == 0 ? new float[1] : a").build());
        t.addType(TornadoApi.glueProvider(self, layer, ClassName.get(AttentionGlue.class), MethodSpec.methodBuilder("open").returns(RUNNER)
                .addParameter(ClassName.get(LinearAttentionLayer.class), "layer").addParameter(STATE, "state").addParameter(TypeName.INT, "tokens")
                .addParameter(ClassName.get(DeviceIndex.class), "device")
                .addComment("the glue uploads the scalar layout; a layer of the other flavour is relaid once")
                .addStatement("return new $T((($T) layer).withFlavour($T.SCALAR), state, tokens, device.backend(), device.device())", self, layer, FLAVOUR)));
        return GeneratedFile.of(self.packageName(), t, plan.kernels().annotatedType(), env, null);
    }

    private String graphName() {
        return plan.kernels().baseName();
    }

    private CodeBlock classDoc() {
        return CodeBlock.builder()
                .add("TornadoVM glue for the layer described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.kernels().descriptor())
                .add("<p>One task graph, {@value #GRAPH}, runs a chunk of {@code tokens} tokens through the device tasks of {@link $T}:\n", kernels)
                .add("{@code project} ({@code projectSequence}, 2D {@code @Parallel} over tokens and rows), {@code scan}\n")
                .add("({@code scanHeads}, parallel over heads), {@code advance} (one thread) and {@code output} ({@code outputSequence}).\n")
                .add("Weights and scratch are copied once ({@code FIRST_EXECUTION}); the recurrent state stays on the device between\n")
                .add("chunks ({@code persistOnDevice}) and comes back only through {@link #syncState()}; inputs and outputs move on every\n")
                .add("execution. The plan is pre-compiled when this object is built and freed by {@link #close()}: use try-with-resources.\n\n")
                .add("<p>Built by the runtime's backend selection ({@code LinearAttentionRunners.open}) when the TornadoVM runtime is\n")
                .add("loaded; on a plain JVM, constructing it fails in TornadoVM's {@code TaskGraph}.\n")
                .build();
    }

    private MethodSpec constructor() {
        return MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Uploads nothing yet: the first {@link #run} copies the weights and the state in.\n\n")
                .addJavadoc("@param layer a scalar-flavour layer (its weights are uploaded as they are)\n")
                .addJavadoc("@param state the stream, owned by this runner until {@link #close()}\n")
                .addJavadoc("@param tokens tokens per chunk (TornadoVM captures scalar task arguments when the graph is built)\n")
                .addJavadoc("@param backendIndex TornadoVM backend index, or -1 for TornadoVM's default device\n")
                .addJavadoc("@param deviceIndex device index within that backend\n")
                .addParameter(layer, "layer").addParameter(STATE, "state").addParameter(TypeName.INT, "tokens")
                .addParameter(TypeName.INT, "backendIndex").addParameter(TypeName.INT, "deviceIndex")
                .beginControlFlow("if (layer.flavour() != $T.SCALAR)", FLAVOUR)
                .addStatement("throw new $T($S + layer.flavour())", UNROLL_EXCEPTION, "the TornadoVM glue uploads a scalar-layout layer (LinearAttentionRunners.open converts one), not ")
                .endControlFlow()
                .beginControlFlow("if (!state.spec().equals(layer.spec()))")
                .addStatement("throw new $T($S + state.spec().describe() + $S + layer.spec().describe())", UNROLL_EXCEPTION, "state of ", " does not fit ")
                .endControlFlow()
                .beginControlFlow("if (tokens < 1)")
                .addStatement("throw new $T($S + tokens + $S)", UNROLL_EXCEPTION, "tokens (", ") must be >= 1")
                .endControlFlow()
                .addStatement("this.state = state")
                .addStatement("this.tokens = tokens")
                .addStatement("this.xs = new float[tokens * $T.D]", kernels)
                .addStatement("this.ys = new float[tokens * $T.D]", kernels)
                .addStatement("final float[] proj = new float[tokens * $T.P_PAD]", kernels)
                .addStatement("final float[] concat = new float[tokens * $T.HV]", kernels)
                .addStatement("final float[] scratch = new float[Math.max(1, $T.SCRATCH_SIZE)]", kernels)
                .addStatement("final float[] aux = orDummy(layer.aux)")
                .addStatement("final float[] s = state.f32()")
                .addStatement("final $T meta = state.meta()", LONGS)
                .addCode(graph())
                .addCode(TornadoApi.plan("graph", CodeBlock.of("")))
                .build();
    }

    /** The task graph: transfers, the four device tasks in the order {@code forward} calls them, results. */
    private CodeBlock graph() {
        return CodeBlock.builder()
                .add("final $T graph = new $T(GRAPH)\n", TASK_GRAPH, TASK_GRAPH).indent().indent()
                .add(".transferToDevice($T.FIRST_EXECUTION, layer.wIn, layer.wOut, aux, s, meta, proj, concat, scratch)\n", MODE)
                .add(".transferToDevice($T.EVERY_EXECUTION, xs)\n", MODE)
                .add(".task($S, $T::projectSequence, layer.wIn, xs, proj, tokens)\n", "project", kernels)
                .add(".task($S, $T::scanHeads, proj, aux, s, meta, concat, scratch, tokens)\n", "scan", kernels)
                .add(".task($S, $T::advance, meta, tokens)\n", "advance", kernels)
                .add(".task($S, $T::outputSequence, layer.wOut, concat, ys, tokens)\n", "output", kernels)
                .add(".persistOnDevice(s, meta)\n")
                .add(".transferToHost($T.EVERY_EXECUTION, ys);\n", MODE).unindent().unindent()
                .build();
    }

    private MethodSpec run() {
        return MethodSpec.methodBuilder("run").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(FLOATS, "in").addParameter(FLOATS, "out")
                .beginControlFlow("if (in.length != xs.length || out.length != ys.length)")
                .addStatement("throw new $T($S + xs.length + $S + in.length + $S + out.length)", UNROLL_EXCEPTION,
                        "chunk of " + graphName() + ": expected inputs and outputs of ", " floats ([tokens][D]), got ", " and ")
                .endControlFlow()
                .addStatement("System.arraycopy(in, 0, xs, 0, xs.length)")
                .addStatement("last = plan.execute()")
                .addStatement("System.arraycopy(ys, 0, out, 0, ys.length)")
                .build();
    }

    private MethodSpec syncState() {
        return MethodSpec.methodBuilder("syncState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .beginControlFlow("if (last != null)")
                .addStatement("last.transferToHost(state.f32(), state.meta())")
                .endControlFlow()
                .build();
    }
}

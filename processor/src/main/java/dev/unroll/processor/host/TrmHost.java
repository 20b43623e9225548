package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.args;
import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.comment;
import static dev.unroll.processor.host.Steps.kernel;
import static dev.unroll.processor.host.Steps.let;
import static dev.unroll.processor.host.Steps.loop;
import static dev.unroll.processor.host.Steps.parallel;
import static dev.unroll.processor.host.Steps.ret;
import static dev.unroll.processor.host.Steps.run;
import static dev.unroll.processor.host.Steps.when;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.host.HostStep.Split;
import dev.unroll.processor.plan.TrmPlan;
import dev.unroll.runtime.codegen.GeneratedTrm;
import dev.unroll.runtime.codegen.Host;
import dev.unroll.runtime.codegen.TrmBlock;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The host plan of a {@code @TinyRecursiveModel} ({@code FooModel}): the supervision step (cycles of
 * latent updates and an answer update, each a call of the shared network), the network as a loop over
 * layers, each layer's kernels split over the runtime's threads by rows, output tiles or puzzles, the
 * heads, and the observed network for per-layer traces.
 */
public final class TrmHost {
    private static final ClassName SPEC = ClassName.get(TrmSpec.class);
    private static final ClassName WEIGHTS = ClassName.get(TrmWeights.class);
    private static final ClassName HOST = ClassName.get(Host.class);
    private static final ClassName STEP = ClassName.get(TrmStep.class);
    private static final ClassName BUFFERS = ClassName.get("", "Buffers");
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName INTS = ArrayTypeName.of(TypeName.INT);

    private final TrmPlan plan;
    private final TrmSpec spec;
    private final WeightFormat format;
    private final ClassName self;
    private final ClassName k;
    private final boolean attention;

    private TrmHost(TrmPlan plan) {
        this.plan = plan;
        this.spec = plan.descriptor().spec();
        this.format = plan.descriptor().weights();
        this.self = ClassName.get(plan.kernels().packageName(), plan.kernels().baseName() + "Model");
        this.k = ClassName.get(plan.kernels().packageName(), plan.kernels().scalarClass());
        this.attention = spec.mixer() == TokenMixer.ATTENTION;
    }

    /**
     * @param plan the model's plan
     * @return its host class
     */
    public static HostClass plan(TrmPlan plan) {
        return new TrmHost(plan).build();
    }

    private HostClass build() {
        List<HostMethod> methods = new ArrayList<>();
        methods.add(Factories.constructor(self, WEIGHTS, format));
        methods.add(Factories.seeded(self, WEIGHTS, "model with seeded weights (seed " + spec.seed() + ")"));
        methods.addAll(Factories.of(self, WEIGHTS, "model"));
        methods.add(Factories.load(self, WEIGHTS, "SPEC", "Loads the weights by state_dict name from a safetensors file holding exactly this model's tensors."));
        methods.add(embed());
        methods.add(step());
        methods.add(network());
        methods.add(observedNetwork());
        methods.add(net());
        methods.add(layer());
        methods.add(heads());
        String pkg = plan.kernels().packageName();
        return new HostClass(self, ClassName.get(GeneratedTrm.class), List.of(), doc(), notes(), List.of(new HostField(HostField.Role.DESCRIPTOR, SPEC, "SPEC",
                Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL), specCode(), CodeBlock.of("The descriptor this model was generated from.\n"))),
                methods, new HostClass.Kernels(ClassName.get(TrmProvider.class), SPEC, WEIGHTS, ClassName.get(TrmModel.class),
                        (pkg.isEmpty() ? "" : pkg + ".") + plan.kernels().baseName(), plan.kernels().annotatedType(), format));
    }

    private CodeBlock doc() {
        return CodeBlock.builder()
                .add("The Tiny Recursive Model described on {@link $L}:\n", plan.kernels().annotatedType())
                .add("<pre>{@code\n$L\n}</pre>\n\n", plan.descriptor().describe())
                .add("<p>One supervision step is {@code $L} cycles of {@code $L} latent updates {@code z = net((x + y) + z)} and one answer update\n"
                        + "{@code y = net(y + z)}: $L calls of the $L-layer network; $L GFLOP per puzzle. Thread-safe: each calling thread\n"
                        + "computes in its own buffers.\n",
                        spec.cycles(), spec.latentSteps(), spec.cycles() * (spec.latentSteps() + 1), spec.layers(),
                        String.format(Locale.ROOT, "%.3f", spec.flopsPerStep() / 1e9))
                .build();
    }

    private CodeBlock notes() {
        CodeBlock.Builder d = CodeBlock.builder()
                .add("\n<p>Weights load by the PyTorch state_dict names of the seed model ({@link #load(Path)}) or are seeded with its\n"
                        + "distributions ({@link #seeded()}):\n<ul>\n");
        for (Map.Entry<String, long[]> e : TrmWeights.shapes(spec).entrySet()) {
            if (!e.getKey().startsWith("network.layers.") || e.getKey().startsWith("network.layers.0.")) {
                d.add("  <li>{@code $L} $L\n", e.getKey().replace("network.layers.0.", "network.layers.<l>."), java.util.Arrays.toString(e.getValue()));
            }
        }
        d.add("</ul>\n");
        if (format != WeightFormat.F32) {
            d.add("\n<p>The attention and MLP row projections are stored as $L, converted from the F32 weights when the model is built;\n"
                    + "the mixer, embeddings and heads stay F32.\n", format);
        }
        return d.build();
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

    /** {@code batch * L * H}: floats of one stream of the recursion. */
    private CodeBlock stream(String batch) {
        return code("$L * $T.L * $T.H", batch, k, k);
    }

    private HostMethod embed() {
        return HostMethod.method("embed", FLOATS, Modifier.PUBLIC).override().param(INTS, "tokens").param(TypeName.INT, "batch")
                .steps(run("checkTokens(tokens, batch)"),
                        let(FLOATS, "x", "new float[$L]", stream("batch")),
                        parallel(Split.EACH, args("batch"), List.of("b"), kernel("embed", "tokens", "emb", "prefix", "x", "b")),
                        ret("x"))
                .build();
    }

    private HostMethod step() {
        // sum3/sum2 cover the whole stream: chunks of 64 Ki floats for the pool
        List<String> chunk = List.of("from", "to");
        return HostMethod.method("step", STEP, Modifier.PUBLIC).override().param(INTS, "tokens").param(ClassName.get(TrmCarry.class), "carry")
                .steps(let(TypeName.INT, "batch", "checkCarry(carry)"),
                        let(FLOATS, "x", "embed(tokens, batch)"),
                        let(FLOATS, "y", "carry.y()"),
                        let(FLOATS, "z", "carry.z()"),
                        let(BUFFERS, "buf", "buffers(batch)"),
                        let(FLOATS, "in", "buf.in"),
                        let(TypeName.INT, "n", "$L", stream("batch")),
                        loop("cycle", code("$T.CYCLES", k), "",
                                loop("i", code("$T.LATENT_STEPS", k), "latent recursion: z = net((x + y) + z), LATENT_STEPS times",
                                        parallel(Split.ROWS, args("n", "1 << 16"), chunk, kernel("sum3", "in", "x", "y", "z", "from", "to")),
                                        run("net(in, z, buf)")),
                                comment("then the answer: y = net(y + z)"),
                                parallel(Split.ROWS, args("n", "1 << 16"), chunk, kernel("sum2", "in", "y", "z", "from", "to")),
                                run("net(in, y, buf)")),
                        ret("heads(y, batch)"))
                .build();
    }

    private List<HostStep> checkStreams(String... names) {
        List<HostStep> out = new ArrayList<>(List.of(run("$T.positive($S, batch)", HOST, "batch")));
        for (String n : names) {
            out.add(run("$T.length($S, $L, $L)", HOST, n, n, stream("batch")));
        }
        return out;
    }

    private HostMethod network() {
        return HostMethod.method("network", TypeName.VOID, Modifier.PUBLIC).override().param(FLOATS, "in").param(TypeName.INT, "batch")
                .param(FLOATS, "out")
                .steps(checkStreams("in", "out")).steps(run("net(in, out, buffers(batch))")).build();
    }

    private HostMethod observedNetwork() {
        return HostMethod.method("network", TypeName.VOID, Modifier.PUBLIC).override().param(FLOATS, "in").param(TypeName.INT, "batch")
                .param(FLOATS, "out").param(ClassName.get(TrmModel.LayerObserver.class), "observer")
                .steps(checkStreams("in", "out"))
                .steps(let(BUFFERS, "buf", "buffers(batch)"),
                        when(code("in != out"), run("System.arraycopy(in, 0, out, 0, $L)", stream("batch"))),
                        loop("l", code("$T.LAYERS", k), "", run("layer(block(l), out, buf)"), run("observer.afterLayer(l, out)")))
                .build();
    }

    private HostMethod net() {
        return HostMethod.method("net", TypeName.VOID, Modifier.PRIVATE)
                .doc("The shared network: {@code out = layers(in)} ({@code in} is left alone unless it is {@code out}).\n")
                .param(FLOATS, "in").param(FLOATS, "out").param(BUFFERS, "buf")
                .steps(when(code("in != out"), run("System.arraycopy(in, 0, out, 0, $L)", stream("buf.batch"))),
                        loop("l", code("$T.LAYERS", k), "", run("layer(block(l), out, buf)")))
                .build();
    }

    /** The arrays a kernel takes for a packed matrix: its values in the descriptor's format (and Q8's or Q4's scales). */
    private List<String> matrix(String field) {
        return ParameterCode.packedArguments(field, format);
    }

    private HostMethod layer() {
        List<String> rows = Split.ROWS.params();
        List<HostStep> mixing = new ArrayList<>();
        if (attention) {
            mixing.add(comment("token mixing: non-causal attention with RoPE"));
            mixing.add(parallel(Split.TILES, args("rows", code("3 * $T.H", k)), kernel("qkvProject", matrix("w.qkvT"), "hs", "buf.qkv", "r0", "r1", "n0", "n1")));
            mixing.add(parallel(Split.ROWS, args("rows", "ROW_BLOCK"), rows, kernel("rope", "buf.qkv", "rope", "r0", "r1")));
            mixing.add(parallel(Split.EACH, args(code("buf.batch * $T.HEADS", k)), List.of("t"),
                    kernel("attend", "buf.qkv", "buf.o", "buf.scores", code("t * $T.L", k), code("t / $T.HEADS", k), code("t % $T.HEADS", k))));
            mixing.add(parallel(Split.TILES, args("rows", code("$T.H", k)), kernel("outProject", matrix("w.oT"), "buf.o", "buf.delta", "r0", "r1", "n0", "n1")));
        } else {
            mixing.add(comment("token mixing: SwiGLU over the positions of each puzzle"));
            mixing.add(parallel(Split.PER_PUZZLE, args("buf.batch", code("2 * $T.MIX_I", k)), List.of("b", "m0", "m1"),
                    kernel("mixerUp", "w.mixUp", "hs", "buf.gu", "b", "m0", "m1")));
            mixing.add(parallel(Split.PER_PUZZLE, args("buf.batch", code("$T.MIX_I", k)), List.of("b", "m0", "m1"),
                    kernel("mixerAct", "buf.gu", "buf.act", "b", "m0", "m1")));
            mixing.add(parallel(Split.PER_PUZZLE, args("buf.batch", code("$T.L", k)), kernel("mixerDown", "w.mixDown", "buf.act", "buf.delta", "b", "p0", "p1")));
        }
        return HostMethod.method("layer", TypeName.VOID, Modifier.PRIVATE)
                .doc("One layer: {@code h = rms_norm(h + $L(h))}, then {@code h = rms_norm(h + mlp(h))}.\n", attention ? "attention" : "mixer")
                .param(ClassName.get(TrmBlock.class), "w").param(FLOATS, "hs").param(BUFFERS, "buf")
                .steps(let(TypeName.INT, "rows", "buf.batch * $T.L", k))
                .steps(mixing)
                .steps(parallel(Split.ROWS, args("rows", "ROW_BLOCK"), kernel("residualNorm", "hs", "buf.delta", "r0", "r1")),
                        comment("channel mixing: SwiGLU per position"),
                        parallel(Split.TILES, args("rows", code("2 * $T.MLP_I", k)), kernel("mlpUp", matrix("w.mlpUpT"), "hs", "buf.gu", "r0", "r1", "n0", "n1")),
                        parallel(Split.ROWS, args("rows", "ROW_BLOCK"), kernel("mlpAct", "buf.gu", "buf.act", "r0", "r1")),
                        parallel(Split.TILES, args("rows", code("$T.H", k)), kernel("mlpDown", matrix("w.mlpDownT"), "buf.act", "buf.delta", "r0", "r1", "n0", "n1")),
                        parallel(Split.ROWS, args("rows", "ROW_BLOCK"), kernel("residualNorm", "hs", "buf.delta", "r0", "r1")))
                .build();
    }

    private HostMethod heads() {
        return HostMethod.method("heads", STEP, Modifier.PUBLIC).override().param(FLOATS, "y").param(TypeName.INT, "batch")
                .steps(checkStreams("y"))
                .steps(let(FLOATS, "logits", "new float[batch * $T.CONTEXT * $T.VOCAB]", k, k),
                        let(FLOATS, "halt", "new float[batch * $T.HALT]", k),
                        parallel(Split.EACH, args("batch"), List.of("b"), kernel("heads", "y", "outW", "qW", "qB", "logits", "halt", "b")),
                        ret("new $T(logits, halt)", STEP))
                .build();
    }
}

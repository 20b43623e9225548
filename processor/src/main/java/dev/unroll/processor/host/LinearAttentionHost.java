package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.kernel;
import static dev.unroll.processor.host.Steps.let;
import static dev.unroll.processor.host.Steps.parallel;
import static dev.unroll.processor.host.Steps.ret;
import static dev.unroll.processor.host.Steps.run;
import static dev.unroll.processor.host.Steps.when;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.processor.plan.Segment;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.WeightLayout;
import dev.unroll.runtime.attention.WeightTensor;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.codegen.FusedWeights;
import dev.unroll.runtime.codegen.GeneratedLinearAttention;
import dev.unroll.runtime.codegen.PackedMatrix;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The host plan of a {@code @LinearAttention} layer ({@code FooLayer}): canonical weights packed into
 * the kernels' fused buffers (per flavour layout, or compact panels), factories, a relayout for the
 * other flavour, and the entry points the base class checks and calls: a token step, a query, a
 * sequence (projected once, heads scanned in parallel, projected out once) and, at f32, a token of
 * many streams (projected together, each stream's heads on its own state, projected out together).
 */
public final class LinearAttentionHost {
    private static final ClassName SPEC = ClassName.get(AttentionSpec.class);
    private static final ClassName WEIGHTS = ClassName.get(AttentionWeights.class);
    private static final ClassName STATE = ClassName.get(AttentionState.class);
    private static final ClassName FUSED = ClassName.get(FusedWeights.class);
    private static final ClassName PACKED = ClassName.get(PackedMatrix.class);
    private static final ClassName SEGMENT = FUSED.nestedClass("Segment");
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName FORMAT = ClassName.get(WeightFormat.class);
    private static final ClassName WORKSPACE = ClassName.get("", "Workspace");

    private final LinearAttentionPlan plan;
    private final AttentionSpec spec;
    private final WeightFormat format;
    private final ClassName self;
    private final ClassName k;
    private final boolean f32;
    private final TypeName realArray;

    private LinearAttentionHost(LinearAttentionPlan plan) {
        this.plan = plan;
        this.spec = plan.descriptor().spec();
        this.format = plan.descriptor().weights();
        this.self = ClassName.get(plan.kernels().packageName(), plan.kernels().baseName() + "Layer");
        this.k = ClassName.get(plan.kernels().packageName(), plan.kernels().scalarClass());
        this.f32 = spec.precision() == Precision.F32;
        this.realArray = ArrayTypeName.of(f32 ? TypeName.FLOAT : TypeName.DOUBLE);
    }

    /**
     * @param plan the layer's plan
     * @return its host class
     */
    public static HostClass plan(LinearAttentionPlan plan) {
        return new LinearAttentionHost(plan).build();
    }

    private HostClass build() {
        List<HostMethod> methods = new ArrayList<>();
        methods.add(constructor());
        methods.add(relayoutConstructor());
        methods.addAll(factories());
        methods.add(withFlavour());
        methods.add(token("kernelStep", "step"));
        methods.add(token("kernelQuery", "query"));
        methods.add(forward());
        if (f32) {
            methods.add(stepStreams());
        }
        return new HostClass(self, ClassName.get(GeneratedLinearAttention.class), List.of(), doc(), notes(), fields(), methods,
                new HostClass.Kernels(ClassName.get(LinearAttentionProvider.class), SPEC, WEIGHTS, ClassName.get(LinearAttentionLayer.class),
                        plan.kernels().packageName().isEmpty() ? plan.kernels().baseName() : plan.kernels().packageName() + "." + plan.kernels().baseName(),
                        plan.kernels().annotatedType(), format));
    }

    private CodeBlock doc() {
        return CodeBlock.of("The linear-attention layer described on {@link $L}:\n<pre>{@code\n$L\n}</pre>\n", plan.kernels().annotatedType(),
                plan.descriptor().describe());
    }

    private CodeBlock notes() {
        CodeBlock.Builder d = CodeBlock.builder();
        d.add("\n<p>Weights are seeded ({@link #seeded()}: {@code 0.01 * N(0,1)} from xorshift64 seed $L in the reference's draw order) or\n"
                + "loaded by canonical name ({@link #load(Path)}), one tensor each:\n<ul>\n", spec.seed());
        for (WeightTensor w : WeightLayout.of(spec)) {
            if (w.head() <= 0) {
                d.add("  <li>{@code $L} $L\n", w.head() == 0 ? "heads.<h>." + w.field() : w.name(), Arrays.toString(w.shape()));
            }
        }
        return d.add("</ul>\n").build();
    }

    private List<HostField> fields() {
        Set<Modifier> constant = Set.of(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL);
        List<HostField> f = new ArrayList<>();
        f.add(new HostField(HostField.Role.DESCRIPTOR, SPEC, "SPEC", Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL), specCode(),
                CodeBlock.of("The descriptor this layer was generated from.\n")));
        f.add(new HostField(HostField.Role.CONSTANT, ArrayTypeName.of(SEGMENT), "PROJECTION", constant, segments(plan.projection()),
                CodeBlock.of("Rows of each canonical tensor in a head's block of the fused input projection.\n")));
        f.add(new HostField(HostField.Role.CONSTANT, ArrayTypeName.of(SEGMENT), "AUX", constant, segments(plan.aux()),
                CodeBlock.of("Element-wise per-head vectors.\n")));
        for (String name : List.of("wIn", "wOut", "aux")) {
            // package-private: the TornadoVM glue class uploads these arrays as they are
            boolean packed = compact() && !name.equals("aux");
            f.add(new HostField(HostField.Role.WEIGHTS, packed ? PACKED : realArray, name, Set.of(Modifier.FINAL), null,
                    packed ? CodeBlock.of("Weights as $L panels (the same for both flavours).\n", format) : CodeBlock.of("Weights in this flavour's layout.\n")));
        }
        return f;
    }

    /** The descriptor as builder calls: the members every mode has, then the mode's own by their typed keys. */
    private CodeBlock specCode() {
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("\n.heads($L)\n.keyWidth($L)\n.valueWidth($L)\n.seed($LL)\n.precision($T.$L)", spec.heads(), spec.keyWidth(), spec.valueWidth(),
                spec.seed(), Precision.class, spec.precision().name());
        for (Map.Entry<String, Object> e : spec.parameters().asMap().entrySet()) {
            c.add(ParameterCode.set(ClassName.get(Modes.ownerOf(e.getKey()).keys()), Modes.parameter(e.getKey()), e.getValue()));
        }
        return ParameterCode.chain(CodeBlock.of("$T.builder($T.$L, $L)", SPEC, AttentionMode.class, spec.mode().name(), spec.width()), c.build(),
                ".buildUnchecked()");
    }

    private CodeBlock segments(List<Segment> segs) {
        CodeBlock.Builder c = CodeBlock.builder().add("{");
        boolean first = true;
        for (Segment s : segs) {
            c.add(first ? "\n" : ",\n");
            first = false;
            c.add("    new $T($S, $T.$L, $L)", SEGMENT, s.field(), k, s.offsetConstant(), s.rows());
        }
        return c.add(first ? "}" : "\n}").build();
    }

    private boolean compact() {
        return format != WeightFormat.F32;
    }

    private String convert() {
        return f32 ? "FusedWeights.f32" : "";
    }

    private HostMethod constructor() {
        List<HostStep> pack = compact()
                ? List.of(run("this.wIn = $T.pack($S, $T.f32(in), $T.P, $T.D, $T.$L, false)", PACKED, "w_in (fused)", FUSED, k, k, FORMAT, format.name()),
                        run("this.wOut = $T.pack($S, $T.f32(out), $T.D, $T.HV, $T.$L, false)", PACKED, "w_out", FUSED, k, k, FORMAT, format.name()))
                : List.of(run("this.wIn = $L(simd() ? $T.transposePadded(in, $T.P, $T.D) : in)", convert(), FUSED, k, k),
                        run("this.wOut = $L(simd() ? $T.transposePadded(out, $T.D, $T.HV) : out)", convert(), FUSED, k, k));
        return HostMethod.constructor(Modifier.PRIVATE).param(WEIGHTS, "weights").param(FLAVOUR, "flavour")
                .steps(run("super(SPEC, $T.check(flavour, SIMD_GENERATED), $S)", FLAVOUR, self.simpleName()),
                        when(code("weights == null"), run("throw new $T($S)", UnrollException.class, "weights is null (required)")),
                        when(code("!weights.spec().withPrecision(SPEC.precision()).equals(SPEC)"),
                                run("throw new $T(\"weights of \" + weights.spec().describe() + \" do not fit \" + SPEC.describe())", UnrollException.class)),
                        let(ArrayTypeName.of(TypeName.DOUBLE), "in", "$T.perHead(weights, PROJECTION, $T.H, $T.HEAD_ROWS * $T.D, $T.D)", FUSED, k, k, k, k),
                        let(ArrayTypeName.of(TypeName.DOUBLE), "out", "weights.get($S)", "w_out"))
                .steps(pack)
                .steps(run("this.aux = $L($T.perHead(weights, AUX, $T.H, $T.AUX_PER_HEAD, 1))", convert(), FUSED, k, k))
                .build();
    }

    /** The same weights in another flavour's layout (see {@code FusedWeights.relayout}). */
    private HostMethod relayoutConstructor() {
        List<HostStep> weights = compact()
                ? List.of(run("this.wIn = other.wIn"), run("this.wOut = other.wOut"))
                : List.of(run("this.wIn = $T.relayout(other.wIn, $T.P, $T.D, other.simd(), simd())", FUSED, k, k),
                        run("this.wOut = $T.relayout(other.wOut, $T.D, $T.HV, other.simd(), simd())", FUSED, k, k));
        return HostMethod.constructor(Modifier.PRIVATE).param(self, "other").param(FLAVOUR, "flavour")
                .steps(run("super(SPEC, $T.check(flavour, SIMD_GENERATED), $S)", FLAVOUR, self.simpleName()))
                .steps(weights).steps(run("this.aux = other.aux")).build();
    }

    private List<HostMethod> factories() {
        List<HostMethod> f = new java.util.ArrayList<>();
        f.add(Factories.seeded(self, WEIGHTS, "layer with the descriptor's seeded weights"));
        f.addAll(Factories.of(self, WEIGHTS, "layer"));
        f.add(Factories.load(self, WEIGHTS, "SPEC", "Loads weights by canonical name from a safetensors file that holds exactly this layer's tensors."));
        return f;
    }

    private HostMethod withFlavour() {
        return HostMethod.method("withFlavour", self, Modifier.PUBLIC).override().param(FLAVOUR, "flavour")
                .steps(when(code("flavour == flavour()"), ret("this")), ret("new $T(this, flavour)", self)).build();
    }

    /** The kernels' arguments for a projection: the array, or the compact arrays of the packed matrix. */
    private List<String> matrix(String field) {
        return compact() ? ParameterCode.packedArguments(field, format) : List.of(field);
    }

    private String suffix() {
        return f32 ? "F" : "D";
    }

    private String state() {
        return f32 ? "s.f32()" : "s.f64()";
    }

    private HostStep workspace(String tokens) {
        return let(WORKSPACE, "w", "workspace(s, $L, $T.P_PAD, $T.HV, $T.SCRATCH_SIZE)", tokens, k, k, k);
    }

    /** {@code kernelStep}/{@code kernelQuery}: one token through the fused kernel. */
    private HostMethod token(String name, String kernelName) {
        String a = suffix();
        return HostMethod.method(name, TypeName.VOID, Modifier.PROTECTED).override().param(STATE, "s").param(realArray, "x").param(realArray, "y")
                .steps(workspace("1"),
                        kernel(kernelName, matrix("wIn"), matrix("wOut"), "aux", state(), "s.meta()", "x", 0, "y", 0, "w.proj" + a, "w.concat" + a,
                                "w.scratch" + a))
                .build();
    }

    /** {@code kernelForward}: a sequence; with several heads worth it, projected once, heads scanned in parallel, projected out once. */
    private HostMethod forward() {
        String a = suffix();
        List<HostStep> after = new ArrayList<>();
        if (Modes.of(spec.mode()).levelMask()) {
            after.add(run("s.meta()[1] = $T.advanceMask(mask, $T.L, tokens)", FUSED, k));
        }
        after.add(run("s.meta()[0] += tokens"));
        after.add(kernel("outputSequence", matrix("wOut"), "w.concat" + a, "ys", "tokens"));
        return HostMethod.method("kernelForward", TypeName.VOID, Modifier.PROTECTED).override()
                .param(STATE, "s").param(realArray, "xs").param(TypeName.INT, "tokens").param(realArray, "ys")
                .steps(workspace("tokens"),
                        when(code("!parallelHeads(tokens)"),
                                kernel("forward", matrix("wIn"), matrix("wOut"), "aux", state(), "s.meta()", "xs", "ys", "tokens", "w.proj" + a,
                                        "w.concat" + a, "w.scratch" + a),
                                ret()),
                        Steps.comment("heads are independent: project once, scan the heads in parallel, project out once"),
                        kernel("projectSequence", matrix("wIn"), "xs", "w.proj" + a, "tokens"),
                        let(TypeName.LONG, "mask", "s.meta()[1]"),
                        let(realArray, "state", state()),
                        parallel(HostStep.Split.EACH, Steps.args(code("$T.H", k)), List.of("h"),
                                kernel("scanHead", "h", "w.proj" + a, "aux", "state", "w.concat" + a, "w.scratch" + a, "mask", "tokens")))
                .steps(after)
                .build();
    }

    /**
     * {@code kernelStepStreams}: one token of each of up to 64 streams; the projections are the
     * sequence path's matrix products over the streams' tokens, the heads step each stream's own state.
     */
    private HostMethod stepStreams() {
        List<HostStep> perStream = new ArrayList<>();
        perStream.add(let(realArray, "state", "s[from + b].f32()"));
        perStream.add(let(ArrayTypeName.of(TypeName.LONG), "meta", "s[from + b].meta()"));
        perStream.add(let(TypeName.LONG, "mask", "meta[1]"));
        perStream.add(Steps.loop("h", code("$T.H", k), "",
                kernel("headStep", "h", "w.projF", code("b * $T.P_PAD", k), "aux", "state", "0", "w.concatF", code("b * $T.HV", k), "w.scratchF", "0",
                        "mask")));
        if (Modes.of(spec.mode()).levelMask()) {
            perStream.add(run("meta[1] = $T.advanceMask(mask, $T.L, 1)", FUSED, k));
        }
        perStream.add(run("meta[0] += 1"));
        return HostMethod.method("kernelStepStreams", TypeName.VOID, Modifier.PROTECTED).override()
                .param(ArrayTypeName.of(STATE), "s").param(TypeName.INT, "from").param(TypeName.INT, "streams").param(realArray, "xs")
                .param(realArray, "ys")
                .steps(let(WORKSPACE, "w", "batchWorkspace($T.P_PAD, $T.HV, $T.SCRATCH_SIZE)", k, k, k),
                        kernel("projectSequence", matrix("wIn"), "xs", "w.projF", "streams"),
                        Steps.loop("b", code("streams"), "each stream's heads on its own state", perStream.toArray(new HostStep[0])),
                        kernel("outputSequence", matrix("wOut"), "w.concatF", "ys", "streams"))
                .build();
    }
}

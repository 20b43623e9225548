package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.either;
import static dev.unroll.processor.host.Steps.hook;
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
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.TransformerPlan;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.codegen.DecoderLayer;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.transformer.Hooks;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The host plan of a {@code @Transformer} ({@code FooModel}): one decoder layer's kernels with its hook
 * points, the final norm and classifier, and one token's forward as a loop over the descriptor's layer
 * schedule (the {@code @RecurrentPass} block once per pass, each step with its own KV cache).
 */
public final class TransformerHost {
    private static final ClassName SPEC = ClassName.get(TransformerSpec.class);
    private static final ClassName WEIGHTS = ClassName.get(TransformerWeights.class);
    private static final ClassName LLAMA2C = ClassName.get(Llama2c.class);
    private static final ClassName CACHE = ClassName.get(KvCache.class);
    private static final ClassName HOOKS = ClassName.get(Hooks.class);
    private static final ClassName PATH = ClassName.get("java.nio.file", "Path");
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName INTS = ArrayTypeName.of(TypeName.INT);

    private final TransformerPlan plan;
    private final TransformerSpec spec;
    private final WeightFormat format;
    private final ClassName self;
    private final ClassName k;

    private TransformerHost(TransformerPlan plan) {
        this.plan = plan;
        this.spec = plan.descriptor().spec();
        this.format = plan.descriptor().weights();
        this.self = ClassName.get(plan.kernels().packageName(), plan.kernels().baseName() + "Model");
        this.k = ClassName.get(plan.kernels().packageName(), plan.kernels().scalarClass());
    }

    /**
     * @param plan the decoder's plan
     * @return its host class
     */
    public static HostClass plan(TransformerPlan plan) {
        return new TransformerHost(plan).build();
    }

    private HostClass build() {
        List<HostMethod> methods = new ArrayList<>();
        methods.add(Factories.constructor(self, WEIGHTS, format));
        methods.addAll(Factories.of(self, WEIGHTS, "model"));
        methods.add(Factories.load(self, WEIGHTS, "SPEC.withoutBlock()", "Loads weights by Hugging Face Llama names from a safetensors file holding exactly them."));
        methods.add(loadLlama2c());
        methods.add(layer());
        methods.add(layerRows());
        methods.add(layerBatch());
        methods.add(attendSequences());
        methods.add(classifyBatch());
        methods.add(logits());
        methods.add(forwardToken());
        String pkg = plan.kernels().packageName();
        return new HostClass(self, ClassName.get(GeneratedTransformer.class), List.of(), doc(), notes(), fields(), methods,
                new HostClass.Kernels(ClassName.get(TransformerProvider.class), SPEC, WEIGHTS, ClassName.get(TransformerModel.class),
                        (pkg.isEmpty() ? "" : pkg + ".") + plan.kernels().baseName(), plan.kernels().annotatedType(), format));
    }

    private CodeBlock doc() {
        return CodeBlock.of("The decoder described on {@link $L}:\n<pre>{@code\n$L\n}</pre>\n", plan.kernels().annotatedType(), plan.descriptor().describe());
    }

    private CodeBlock notes() {
        CodeBlock.Builder d = CodeBlock.builder();
        d.add("\n<p>Weights by Hugging Face Llama names ({@link #load(Path)} for safetensors) or from a llama2.c checkpoint\n"
                + "({@link #loadLlama2c(Path)}). Generate with {@code CachedGenerator}; {@link #forwardToken} is the descriptor's forward:\n"
                + "every layer in order$L ({@code SCHEDULE}). Thread-safe: each thread computes in its own scratch.\n",
                spec.block() == null ? "" : ", layers " + spec.block().loopStart() + ".." + spec.block().loopEnd() + " " + spec.block().depth() + " times");
        if (format != WeightFormat.F32) {
            d.add("\n<p>Matrices are stored as $L, converted from the F32 weights when the model is built; the embedding table and\n"
                    + "norms stay F32.\n", format);
        }
        return d.build();
    }

    private List<HostField> fields() {
        Set<Modifier> constant = Set.of(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL);
        TransformerSpec.Block b = spec.block();
        return List.of(
                new HostField(HostField.Role.DESCRIPTOR, SPEC, "SPEC", Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL), specCode(),
                        CodeBlock.of("The descriptor this model was generated from.\n")),
                // computed when the class initialises: a literal array would grow the class initialiser with the layer count
                new HostField(HostField.Role.CONSTANT, INTS, "SCHEDULE", constant, CodeBlock.of("SPEC.forwardLayers()"),
                        CodeBlock.of("The layer of each step of one token's forward$L.\n",
                                b == null ? "" : " (layers " + b.loopStart() + ".." + b.loopEnd() + " " + b.depth() + " times)")),
                new HostField(HostField.Role.CONSTANT, INTS, "PASS", constant, CodeBlock.of("SPEC.forwardPasses()"),
                        CodeBlock.of("The pass of each step (1-based), as hooks report it.\n")),
                new HostField(HostField.Role.CONSTANT, TypeName.INT, "STEPS", constant, CodeBlock.of("SCHEDULE.length"),
                        CodeBlock.of("Layer steps of one token's forward: $L.\n", spec.forwardLayers().length)));
    }

    /** The descriptor as builder calls over the parameter table: the required members first, then the others, then the block. */
    private CodeBlock specCode() {
        CodeBlock.Builder c = CodeBlock.builder();
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            if (!p.required() && spec.applies(p)) {
                c.add(ParameterCode.set(SPEC, p, spec.get(p)));
            }
        }
        if (spec.block() != null) {
            c.add("\n.block($L, $L, $L)", spec.block().loopStart(), spec.block().loopEnd(), spec.block().depth());
        }
        return ParameterCode.chain(CodeBlock.of("$T.builder($L, $L, $L, $L, $L, $L)", SPEC, spec.layers(), spec.width(), spec.heads(),
                spec.ffnHidden(), spec.vocab(), spec.maxSeq()), c.build(), ".buildUnchecked()");
    }

    private HostMethod loadLlama2c() {
        return HostMethod.method("loadLlama2c", self, Modifier.PUBLIC, Modifier.STATIC).param(PATH, "path")
                        .doc("Loads a llama2.c checkpoint; its header must describe this decoder.\n\n@param path the .bin file\n@return the model\n")
                        .steps(let(LLAMA2C.nestedClass("Checkpoint"), "c", "$T.load(path)", LLAMA2C),
                                when(code("!c.spec().equals(SPEC.withoutBlock())"),
                                        run("throw new $T(path + $S + c.spec().describe() + $S + SPEC.describe())", UnrollException.class,
                                                ": the checkpoint holds ", ", this model is ")),
                                ret("of(c.weights())"))
                        .build();
    }

    /** The arrays a kernel takes for a packed matrix: its values in the descriptor's format (and Q8's or Q4's scales). */
    private List<String> matrix(String field) {
        return ParameterCode.packedArguments(field, format);
    }

    private HostMethod layer() {
        return HostMethod.method("layer", TypeName.VOID, Modifier.PUBLIC).override()
                .param(TypeName.INT, "l").param(FLOATS, "x").param(TypeName.INT, "pos").param(CACHE, "cache").param(HOOKS, "hooks")
                .param(TypeName.INT, "pass")
                .steps(seq(run("checkLayer(l, x, pos, cache, pass)"),
                        let(ClassName.get(DecoderLayer.class), "w", "decoderLayer(l)"),
                        let(ClassName.get("", "Scratch"), "s", "scratch()"),
                        let(TypeName.INT, "parts", "decodeParts()"),
                        hook("RESID_PRE", "l", "pass", "pos", "x"),
                        either(code("parts == 1"),
                                List.of(kernel("attnIn", "x", "w.attnNorm", matrix("w.wq"), matrix("w.wk"), matrix("w.wv"), "s.xb", "s.q", "s.kv")),
                                List.of(kernel("norm", "x", "w.attnNorm", "s.xb"),
                                        parts(kernel("qkvPart", "s.xb", matrix("w.wq"), matrix("w.wk"), matrix("w.wv"), "s.q", "s.kv", "p", "parts")))),
                        headOps(false),
                        kernel("rope", "s.q", 0, code("$T.HEADS", k), "pos", "cos", "sin"),
                        kernel("rope", "s.kv", 0, code("$T.KV_HEADS", k), "pos", "cos", "sin"),
                        kernel("cacheStore", "s.kv", "cache.k", "cache.v", "pos"),
                        kernel("attend", "s.q", "cache.k", "cache.v", "pos", "s.att", "s.o"),
                        either(code("parts == 1"),
                                List.of(kernel("attnOut", matrix("w.wo"), "s.o", "s.delta")),
                                List.of(parts(kernel("attnOutPart", matrix("w.wo"), "s.o", "s.delta", "p", "parts")))),
                        hook("ATTN_OUT", "l", "pass", "pos", "s.delta"),
                        kernel("residual", "x", "s.delta"),
                        hook("RESID_MID", "l", "pass", "pos", "x"),
                        either(code("parts == 1"),
                                List.of(kernel("mlp", "x", "w.ffnNorm", matrix("w.w1"), matrix("w.w3"), matrix("w.w2"), "s.xb", "s.hh", "s.delta")),
                                List.of(kernel("norm", "x", "w.ffnNorm", "s.xb"),
                                        parts(kernel("upPart", "s.xb", matrix("w.w1"), matrix("w.w3"), "s.hh", "p", "parts")),
                                        parts(kernel("downPart", matrix("w.w2"), "s.hh", "s.delta", "p", "parts")))),
                        hook("MLP_OUT", "l", "pass", "pos", "s.delta"),
                        kernel("residual", "x", "s.delta"),
                        hook("RESID_POST", "l", "pass", "pos", "x")))
                .build();
    }

    /** One layer over a prefill block: the token layer's kernels, each over the block's rows. */
    private HostMethod layerRows() {
        return HostMethod.method("layerRows", TypeName.VOID, Modifier.PROTECTED).override()
                .param(TypeName.INT, "l").param(ClassName.get("", "Block"), "b").param(TypeName.INT, "pos0").param(TypeName.INT, "rows")
                .param(CACHE, "cache")
                .steps(seq(let(ClassName.get(DecoderLayer.class), "w", "decoderLayer(l)"),
                        let(TypeName.INT, "part", "rowsPerPart(rows)"),
                        rows(kernel("normRows", "b.x", "w.attnNorm", "b.xb", "r0", "r1")),
                        rows(kernel("qkvRows", "b.xb", matrix("w.wq"), matrix("w.wk"), matrix("w.wv"), "b.q", "b.k", "b.v", "r0", "r1")),
                        headOps(true),
                        rows(kernel("ropeRows", "b.q", "b.k", "pos0", "r0", "r1", "cos", "sin")),
                        rows(kernel("cacheRows", "b.k", "b.v", "cache.k", "cache.v", "pos0", "r0", "r1")),
                        rows(kernel("attendRows", "b.q", "cache.k", "cache.v", "pos0", "r0", "r1", "b.att", "b.o")),
                        rows(kernel("attnOutRows", matrix("w.wo"), "b.o", "b.delta", "r0", "r1")),
                        rows(kernel("residualRows", "b.x", "b.delta", "r0", "r1")),
                        rows(kernel("mlpRows", "b.x", "w.ffnNorm", matrix("w.w1"), matrix("w.w3"), matrix("w.w2"), "b.xb", "b.hh", "b.delta", "r0", "r1")),
                        rows(kernel("residualRows", "b.x", "b.delta", "r0", "r1"))))
                .build();
    }

    /**
     * What the descriptor runs between the projections and RoPE: Qwen2's q, k and v biases, Qwen3's
     * head norms (nothing for a Llama), on one token's {@code s.q} and {@code s.kv} or a block's rows.
     */
    private List<HostStep> headOps(boolean block) {
        List<HostStep> out = new java.util.ArrayList<>();
        CodeBlock d = code("$T.$L", k, queryWidth());
        CodeBlock kvWidth = code("$T.KV", k);
        if (spec.qkvBias()) {
            out.add(block ? rows(kernel("addBiasRows", "b.q", "w.bq", d, "r0", "r1")) : kernel("addBias", "s.q", 0, "w.bq", d));
            out.add(block ? rows(kernel("addBiasRows", "b.k", "w.bk", kvWidth, "r0", "r1")) : kernel("addBias", "s.kv", 0, "w.bk", kvWidth));
            out.add(block ? rows(kernel("addBiasRows", "b.v", "w.bv", kvWidth, "r0", "r1")) : kernel("addBias", "s.kv", kvWidth, "w.bv", kvWidth));
        }
        if (spec.qkNorm()) {
            out.add(block ? rows(kernel("headNormRows", "b.q", code("$T.HEADS", k), "w.qNorm", "r0", "r1"))
                    : kernel("headNorm", "s.q", 0, code("$T.HEADS", k), "w.qNorm"));
            out.add(block ? rows(kernel("headNormRows", "b.k", code("$T.KV_HEADS", k), "w.kNorm", "r0", "r1"))
                    : kernel("headNorm", "s.kv", 0, code("$T.KV_HEADS", k), "w.kNorm"));
        }
        return out;
    }

    /** @return the kernels' constant of the query width: D, or QD when the heads are not D / HEADS wide */
    private String queryWidth() {
        return spec.queryWidth() == spec.width() ? "D" : "QD";
    }

    /** Steps and lists of steps, flattened in order. */
    private static List<HostStep> seq(Object... items) {
        List<HostStep> out = new java.util.ArrayList<>();
        for (Object o : items) {
            if (o instanceof HostStep st) {
                out.add(st);
            } else {
                for (Object st : (List<?>) o) {
                    out.add((HostStep) st);
                }
            }
        }
        return out;
    }

    /** A product's part {@code p} of {@code parts}, one part per thread. */
    private static HostStep parts(HostStep.Kernel call) {
        return parallel(HostStep.Split.PARTS, List.of(CodeBlock.of("parts")), call);
    }

    /** A block kernel over the block's rows, one part per thread (every part's keys are cached before any attends). */
    private static HostStep rows(HostStep.Kernel call) {
        return parallel(HostStep.Split.ROWS, List.of(CodeBlock.of("rows"), CodeBlock.of("part")), call);
    }

    /**
     * One layer over a block of sequences: GEMMs over the rows, split over the threads by the
     * weights' panels when the model splits a token's products; then per row its own position and cache.
     */
    private HostMethod layerBatch() {
        return HostMethod.method("layerBatch", TypeName.VOID, Modifier.PROTECTED).override()
                .param(TypeName.INT, "l").param(TypeName.INT, "step").param(ClassName.get("", "Block"), "b").param(INTS, "positions")
                .param(ArrayTypeName.of(ArrayTypeName.of(CACHE)), "caches").param(TypeName.INT, "first").param(TypeName.INT, "rows")
                .steps(seq(let(ClassName.get(DecoderLayer.class), "w", "decoderLayer(l)"),
                        // the head operations (biases, head norms) split by rows
                        spec.qkvBias() || spec.qkNorm() ? List.of(let(TypeName.INT, "part", "rowsPerPart(rows)")) : List.of(),
                        let(TypeName.INT, "parts", "decodeParts()"),
                        kernel("normRows", "b.x", "w.attnNorm", "b.xb", 0, "rows"),
                        either(code("parts == 1"),
                                List.of(kernel("qkvRows", "b.xb", matrix("w.wq"), matrix("w.wk"), matrix("w.wv"), "b.q", "b.k", "b.v", 0, "rows")),
                                List.of(parts(kernel("qkvRowsPart", "b.xb", matrix("w.wq"), matrix("w.wk"), matrix("w.wv"), "b.q", "b.k", "b.v", 0, "rows", "p",
                                        "parts")))),
                        headOps(true),
                        either(code("parts == 1"),
                                List.of(run("attendSequences(step, b, positions, caches, first, 0, rows, b.att)")),
                                List.of(run("parts(parts, p -> attendSequences(step, b, positions, caches, first, rows * p / parts, rows * (p + 1) / parts, "
                                        + "scratch().att))"))),
                        either(code("parts == 1"),
                                List.of(kernel("attnOutRows", matrix("w.wo"), "b.o", "b.delta", 0, "rows")),
                                List.of(parts(kernel("attnOutRowsPart", matrix("w.wo"), "b.o", "b.delta", 0, "rows", "p", "parts")))),
                        kernel("residualRows", "b.x", "b.delta", 0, "rows"),
                        either(code("parts == 1"),
                                List.of(kernel("mlpRows", "b.x", "w.ffnNorm", matrix("w.w1"), matrix("w.w3"), matrix("w.w2"), "b.xb", "b.hh", "b.delta", 0,
                                        "rows")),
                                List.of(kernel("normRows", "b.x", "w.ffnNorm", "b.xb", 0, "rows"),
                                        parts(kernel("upRowsPart", "b.xb", matrix("w.w1"), matrix("w.w3"), "b.hh", 0, "rows", "p", "parts")),
                                        parts(kernel("downRowsPart", matrix("w.w2"), "b.hh", "b.delta", 0, "rows", "p", "parts")))),
                        kernel("residualRows", "b.x", "b.delta", 0, "rows")))
                .build();
    }

    /**
     * Attention of sequences [t0, t1) of a batch, each at its own position in its own cache; the
     * threads share a batch's sequences, each with its own scratch row for the scores.
     */
    private HostMethod attendSequences() {
        return HostMethod.method("attendSequences", TypeName.VOID, Modifier.PRIVATE)
                .doc("RoPE, the cache write and attention of rows [t0, t1) of a batch, each sequence at its own position in its own\n"
                        + "caches; {@code att} is the scores' scratch of the thread that runs them.\n")
                .param(TypeName.INT, "step").param(ClassName.get("", "Block"), "b").param(INTS, "positions")
                .param(ArrayTypeName.of(ArrayTypeName.of(CACHE)), "caches").param(TypeName.INT, "first").param(TypeName.INT, "t0")
                .param(TypeName.INT, "t1").param(FLOATS, "att")
                .steps(new HostStep.Loop("t", CodeBlock.of("t0"), CodeBlock.of("t1"), "each sequence at its own position, in its own cache", List.of(
                        let(TypeName.INT, "pos", "positions[first + t]"),
                        let(CACHE, "cache", "caches[first + t][step]"),
                        kernel("rope", "b.q", code("t * $T.$L", k, queryWidth()), code("$T.HEADS", k), "pos", "cos", "sin"),
                        kernel("rope", "b.k", code("t * $T.KV", k), code("$T.KV_HEADS", k), "pos", "cos", "sin"),
                        kernel("cacheRow", "b.k", "b.v", "t", "cache.k", "cache.v", "pos"),
                        kernel("attendRow", "b.q", "t", "cache.k", "cache.v", "pos", "att", "b.o"))))
                .build();
    }

    /** The classifier over rows of a batch: one pass over its weights for all of them, shared by the threads as a token's is. */
    private HostMethod classifyBatch() {
        return HostMethod.method("classifyBatch", TypeName.VOID, Modifier.PROTECTED).override()
                .param(ClassName.get("", "Block"), "b").param(TypeName.INT, "t0").param(TypeName.INT, "t1")
                .steps(seq(kernel("normRows", "b.x", "finalNorm", "b.xb", "t0", "t1"),
                        let(TypeName.INT, "parts", "decodeParts()"),
                        either(code("parts == 1"),
                                List.of(kernel("classifyRows", matrix("wcls"), "b.xb", "b.logits", "t0", "t1")),
                                List.of(parts(kernel("classifyRowsPart", matrix("wcls"), "b.xb", "b.logits", "t0", "t1", "p", "parts"))))))
                .build();
    }

    private HostMethod logits() {
        return HostMethod.method("logits", TypeName.VOID, Modifier.PUBLIC).override()
                .param(FLOATS, "x").param(TypeName.INT, "pos").param(FLOATS, "logits").param(HOOKS, "hooks")
                .steps(run("checkLogits(x, logits)"),
                        let(FLOATS, "xb", "scratch().xb"),
                        kernel("finalNorm", "x", "finalNorm", "xb"),
                        hook("FINAL_NORM", "-1", "1", "pos", "xb"),
                        let(TypeName.INT, "parts", "decodeParts()"),
                        either(code("parts == 1"),
                                List.of(kernel("classify", matrix("wcls"), "xb", "logits")),
                                List.of(parts(kernel("classifyPart", matrix("wcls"), "xb", "logits", "p", "parts")))))
                .build();
    }

    private HostMethod forwardToken() {
        return HostMethod.method("forwardToken", TypeName.VOID, Modifier.PUBLIC).override()
                .param(TypeName.INT, "token").param(TypeName.INT, "pos").param(ArrayTypeName.of(CACHE), "caches").param(FLOATS, "x")
                .param(FLOATS, "logits").param(HOOKS, "hooks")
                .steps(run("checkForward(pos, caches, x, logits)"),
                        run("embed(token, x)"),
                        hook("EMBED", "-1", "1", "pos", "x"),
                        loop("step", code("STEPS"), "", run("layer(SCHEDULE[step], x, pos, caches[step], hooks, PASS[step])")),
                        run("logits(x, pos, logits, hooks)"))
                .build();
    }
}

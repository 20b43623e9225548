package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.div;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Expr.sub;
import static dev.unroll.processor.plan.Ir.addTo;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.set;
import static dev.unroll.processor.plan.Ir.store;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.RopeLayout;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.model.TransformerDescriptor;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the kernels of a Llama-family decoder for one token at a time, following llama2.c's
 * {@code run.c} operation by operation (RMS norm as {@code w * (x * (1 / sqrt(mean(x^2) + eps)))},
 * softmax with the maximum subtracted). The layer sequence, and the recurrent block unrolled
 * {@code depth} times, are written out by the model emitter.
 */
public final class TransformerPlanner {
    private final TransformerSpec spec;
    private final WeightFormat format;
    /** The constant of the query width: {@code D}, or {@code QD} when the heads are not width / heads wide (Qwen3-0.6B). */
    private final String qd;
    private final List<Constant> constants = new ArrayList<>();

    private TransformerPlanner(TransformerSpec spec, WeightFormat format) {
        this.spec = spec;
        this.format = format;
        this.qd = spec.queryWidth() == spec.width() ? "D" : "QD";
    }

    /**
     * @param d a validated descriptor
     * @return its plan
     */
    public static TransformerPlan plan(TransformerDescriptor d) {
        return new TransformerPlanner(d.spec(), d.weights()).build(d);
    }

    private TransformerPlan build(TransformerDescriptor d) {
        c("D", spec.width(), "Model width.");
        if (!qd.equals("D")) {
            c("QD", spec.queryWidth(), "Query width (HEADS * HD): the heads are not D / HEADS wide.");
        }
        c("KV", spec.kvWidth(), "Key/value width per position (KV_HEADS * HD).");
        c("HEADS", spec.heads(), "Query heads.");
        c("KV_HEADS", spec.kvHeads(), "Key/value heads.");
        c("GROUP", spec.groupSize(), "Query heads per key/value head.");
        c("HD", spec.headWidth(), "Head width.");
        c("F", spec.ffnHidden(), "Feed-forward width.");
        c("VOCAB", spec.vocab(), "Vocabulary.");
        c("LAYERS", spec.layers(), "Decoder layers.");
        c("MAX_SEQ", spec.maxSeq(), "KV-cache positions.");
        c("DEVICE_BLOCK", 32, "Tokens per block of the device tasks: a prompt runs in blocks of this many, a decoding step is a block of one.");
        constants.add(Constant.ofReal("EPS", spec.normEps(), "RMS norm epsilon."));
        constants.add(Constant.ofReal("SQRT_HD", Math.sqrt(spec.headWidth()), "sqrt(HD): attention scores are divided by it."));
        List<KernelMethod> m = new ArrayList<>();
        m.add(attnIn());
        m.add(rope());
        m.add(cacheStore());
        m.add(attend());
        m.add(project("attnOut", "wo", "o", "out", "D", qd, "Attention output projection."));
        m.add(mlp());
        m.add(residual());
        m.add(finalNorm());
        m.add(project("classify", "wcls", "xb", "logits", "VOCAB", "D", "Classifier: {@code logits = Wcls xb}."));
        m.addAll(new TransformerHeadOps(spec).methods());
        m.addAll(new TransformerParts(format, qd).methods());
        m.addAll(new TransformerPrefill(format, qd).methods());
        m.addAll(new TransformerBatchParts(format, qd).methods());
        m.addAll(new TransformerDeviceTasks(spec).methods());
        List<String> decisions = new ArrayList<>();
        decisions.add("prompts in blocks of tokens: the projections and the MLP as GEMMs over the block (the SIMD flavour's GEMM engine),"
                + " causal attention per token over the cache");
        decisions.add("one token's products split over the runtime's threads in whole panels when the model is large enough to pay for the"
                + " hand-offs (GeneratedTransformer.decodeParts), each row summed as one thread sums it");
        decisions.add("a batch of sequences' GEMMs split over the threads the same way, by the weights' panels with every sequence in each part,"
                + " so that the threads share one pass over the weights");
        decisions.add("one token per call; caches are position-major ([KV][MAX_SEQ]) so scores and weighted sums stream contiguous positions");
        decisions.add("RoPE pairs " + (spec.rope() == RopeLayout.INTERLEAVED ? "(2i, 2i + 1) (llama2.c)" : "(i, i + HD/2) (Hugging Face)"));
        decisions.add("grouped-query attention: " + spec.heads() + " query heads over " + spec.kvHeads() + " key/value heads");
        if (spec.qkvBias()) {
            decisions.add("biases added to q, k and v after their projections, before RoPE (Qwen2)");
        }
        if (spec.qkNorm()) {
            decisions.add("each query and key head RMS-normalised in place after the projections, before RoPE (Qwen3)");
        }
        decisions.add(spec.block() == null ? "no recurrent block" : "recurrent block: layers " + spec.block().loopStart() + ".." + spec.block().loopEnd()
                + " unrolled " + spec.block().depth() + " times in the model's forward");
        decisions.add(switch (format) {
            case F32 -> "F32 matrices (SIMD flavour: in panels of 64 rows, each product one sequential stream per panel)";
            case BF16 -> "BF16 matrices in panels of 64 rows (two rows per int), widened in registers";
            case Q8 -> "Q8 matrices in panels of 64 rows, one scale per row and block of 32 columns (ggml's Q8_0 values: a binary16 scale)";
            case Q4 -> "Q4 matrices in panels of 64 rows, two columns per byte, one scale per row and block of 32 columns (ggml's Q4_0 values)";
        });
        KernelPlan kp = new KernelPlan(d.source().packageName(), d.source().baseName(), d.describe(), d.source().qualifiedName(), Precision.F32,
                List.copyOf(constants), HelperUse.of(m), List.copyOf(m), List.copyOf(decisions), 8);
        return new TransformerPlan(d, kp);
    }

    private void c(String name, int v, String doc) {
        constants.add(Constant.ofInt(name, v, doc));
    }

    /** A real-array kernel parameter (the decoder's kernels share these three helpers). */
    static Param arr(String name, String doc) {
        return new Param(Type.REAL_ARRAY, name, doc);
    }

    /** A weight matrix parameter: its array in the descriptor's format, and for Q8 and Q4 the block scales. */
    private List<Param> weight(String name, String doc) {
        return Param.matrix(name, doc, format);
    }

    /** Parameters and lists of parameters (a matrix's arrays), flattened in order. */
    static List<Param> params(Object... items) {
        List<Param> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Param p) {
                out.add(p);
            } else {
                for (Object p : (List<?>) o) {
                    out.add((Param) p);
                }
            }
        }
        return List.copyOf(out);
    }

    static Param intParam(String name, String doc) {
        return new Param(Type.INT, name, doc);
    }

    /** run.c's rmsnorm of x into out with weight w (width D). */
    private static List<Stmt> rmsnorm(String out, String x, String w) {
        return List.of(rmsnormAt(out, x, w, null));
    }

    /**
     * run.c's rmsnorm of the row of x at {@code off} into the row of out at {@code off} (null: row 0),
     * in one order of operations for every caller, so a block of tokens gets one token's bits.
     *
     * @param out output array
     * @param x input array
     * @param w the norm's weight [D]
     * @param off the row's offset, or null
     * @return the statements, in a block
     */
    static Stmt rmsnormAt(String out, String x, String w, Expr off) {
        Expr e = off == null ? n("e") : add(off, n("e"));
        return Ir.block(List.of(
                realVar("ss", r(0)),
                loop("e", n("D"), false, List.of(addTo("ss", mul(load(x, e), load(x, e))))),
                set("ss", div(n("ss"), n("D"))),
                addTo("ss", n("EPS")),
                real("inv", div(r(1), call(MathFn.SQRT, n("ss")))),
                loop("e", n("D"), false, List.of(store(out, e, mul(load(w, n("e")), mul(n("inv"), load(x, e))))))));
    }

    private MacroOp.MatVec matvec(String w, String rows, String cols, String x, Expr xOff, String y, Expr yOff) {
        return new MacroOp.MatVec(w, n(rows), i(0), n(rows), n(cols), x, xOff, y, yOff, false, format, true);
    }

    private KernelMethod attnIn() {
        List<Stmt> b = new ArrayList<>(rmsnorm("xb", "x", "norm"));
        b.add(op(matvec("wq", qd, "D", "xb", i(0), "q", i(0))));
        b.add(op(matvec("wk", "KV", "D", "xb", i(0), "kv", i(0))));
        b.add(op(matvec("wv", "KV", "D", "xb", i(0), "kv", n("KV"))));
        return new KernelMethod("attnIn", "Attention input: {@code xb = rmsnorm(x)}, {@code q = Wq xb}, {@code kv = (Wk xb, Wv xb)}.",
                params(arr("x", "the residual stream [D]"), arr("norm", "input_layernorm weight [D]"), weight("wq", "q_proj"), weight("wk", "k_proj"),
                        weight("wv", "v_proj"), arr("xb", "scratch [D]"), arr("q", "output [" + qd + "]"), arr("kv", "output: key then value [2 * KV]")),
                b);
    }

    /** Keys and values go to column {@code pos} of position-major caches, so attention streams positions. */
    private KernelMethod cacheStore() {
        Expr at = add(mul(n("j"), n("MAX_SEQ")), n("pos"));
        return new KernelMethod("cacheStore", "Writes the position's key and value (after RoPE) into column {@code pos} of the caches.",
                List.of(arr("kv", "key then value [2 * KV]"), arr("kc", "key cache [KV][MAX_SEQ]"), arr("vc", "value cache [KV][MAX_SEQ]"),
                        intParam("pos", "the position")),
                List.of(loop("j", n("KV"), false, List.of(
                        store("kc", at, load("kv", n("j"))),
                        store("vc", at, load("kv", add(n("KV"), n("j"))))))));
    }

    private KernelMethod rope() {
        boolean inter = spec.rope() == RopeLayout.INTERLEAVED;
        Expr half = div(n("HD"), i(2));
        Expr a = inter ? add(mul(n("h"), n("HD")), mul(i(2), n("f"))) : add(mul(n("h"), n("HD")), n("f"));
        Expr bIdx = inter ? add(n("a"), i(1)) : add(n("a"), half);
        List<Stmt> pair = List.of(
                integer("a", a),
                integer("b", bIdx),
                real("c", load("cos", add(mul(n("pos"), half), n("f")))),
                real("s", load("sin", add(mul(n("pos"), half), n("f")))),
                real("v0", load("v", n("a"))),
                real("v1", load("v", n("b"))),
                store("v", n("a"), sub(mul(n("v0"), n("c")), mul(n("v1"), n("s")))),
                store("v", n("b"), add(mul(n("v0"), n("s")), mul(n("v1"), n("c")))));
        return new KernelMethod("rope", "RoPE on {@code heads} heads of {@code v} at position {@code pos}, pairs "
                + (inter ? "(2i, 2i + 1)" : "(i, i + HD/2)") + "; angles from run.c's tables.",
                List.of(arr("v", "q [" + qd + "] or a key row, rotated in place"), intParam("vOff", "offset of the vector in v"), intParam("heads", "heads in it"),
                        intParam("pos", "the position"), arr("cos", "[MAX_SEQ][HD/2]"), arr("sin", "[MAX_SEQ][HD/2]")),
                List.of(Ir.range("h", i(0), n("heads"), false, loop("f", half, false,
                        pair.stream().map(st -> shift(st)).toList()))));
    }

    /** Offsets a and b by vOff (the rotated vector's start). */
    private static Stmt shift(Stmt st) {
        if (st instanceof Stmt.Declare dcl && (dcl.name().equals("a"))) {
            return new Stmt.Declare(dcl.type(), dcl.name(), add(n("vOff"), dcl.init()), false);
        }
        return st;
    }

    private KernelMethod attend() {
        Expr len = add(n("pos"), i(1));
        Expr rows = mul(mul(n("kh"), n("HD")), n("MAX_SEQ"));
        List<Stmt> head = List.of(
                integer("kh", div(n("h"), n("GROUP"))),
                op(new MacroOp.VecMat("q", mul(n("h"), n("HD")), n("HD"), "kc", rows, n("MAX_SEQ"), len, "att", i(0), n("SQRT_HD"))),
                op(new MacroOp.Softmax("att", i(0), len)),
                op(new MacroOp.RowDots("vc", rows, n("MAX_SEQ"), n("HD"), len, "att", i(0), "out", mul(n("h"), n("HD")))));
        return new KernelMethod("attend", "Causal attention of the token at {@code pos} over cache columns 0..pos, per head (grouped-query).",
                List.of(arr("q", "queries [" + qd + "] after RoPE"), arr("kc", "key cache [KV][MAX_SEQ]"), arr("vc", "value cache [KV][MAX_SEQ]"),
                        intParam("pos", "the position"), arr("att", "scratch [MAX_SEQ]"), arr("out", "output [" + qd + "]")),
                List.of(new Stmt.Loop("h", i(0), n("HEADS"), true, false, head)));
    }

    private KernelMethod project(String name, String w, String x, String out, String rows, String cols, String doc) {
        return new KernelMethod(name, doc, params(weight(w, "weights [" + rows + "][" + cols + "]"), arr(x, "input [" + cols + "]"), arr(out, "output [" + rows + "]")),
                List.of(op(matvec(w, rows, cols, x, i(0), out, i(0)))));
    }

    private KernelMethod mlp() {
        List<Stmt> b = new ArrayList<>(rmsnorm("xb", "x", "norm"));
        b.add(op(matvec("w1", "F", "D", "xb", i(0), "hh", i(0))));
        b.add(op(matvec("w3", "F", "D", "xb", i(0), "hh", n("F"))));
        b.add(op(new MacroOp.SwiGlu("hh", i(0), n("F"), "hh", i(0), n("F"))));
        b.add(op(matvec("w2", "D", "F", "hh", i(0), "out", i(0))));
        return new KernelMethod("mlp", "Feed-forward: {@code out = W2 (silu(W1 rmsnorm(x)) * W3 rmsnorm(x))}.",
                params(arr("x", "the residual stream [D]"), arr("norm", "post_attention_layernorm weight [D]"), weight("w1", "gate_proj"),
                        weight("w3", "up_proj"), weight("w2", "down_proj"), arr("xb", "scratch [D]"), arr("hh", "scratch [2F]"), arr("out", "output [D]")),
                b);
    }

    private KernelMethod residual() {
        return new KernelMethod("residual", "{@code x += delta}.", List.of(arr("x", "the stream [D]"), arr("delta", "the block output [D]")),
                List.of(op(new MacroOp.Sum("x", "x", "delta", null, i(0), n("D")))));
    }

    private KernelMethod finalNorm() {
        return new KernelMethod("finalNorm", "Final RMS norm: {@code xb = rmsnorm(x)} (the FINAL_NORM hook point; the classifier reads xb).",
                List.of(arr("x", "the stream [D]"), arr("norm", "model.norm weight [D]"), arr("xb", "output [D]")), rmsnorm("xb", "x", "norm"));
    }

}

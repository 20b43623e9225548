package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.store;
import static dev.unroll.processor.plan.TransformerPlanner.arr;
import static dev.unroll.processor.plan.TransformerPlanner.intParam;
import static dev.unroll.processor.plan.TransformerPlanner.params;

import dev.unroll.annotations.WeightFormat;
import java.util.List;

/**
 * The kernels of a decoder's prefill: one layer over a block of tokens at once, rows
 * {@code [t0, t1)} of row-major block buffers ({@code x [rows][D]}, {@code q [rows][D]},
 * {@code k, v [rows][KV]}, {@code hh [rows][2F]}), token {@code t} at position {@code pos0 + t}.
 * The projections and the MLP are GEMMs over the block ({@link MacroOp.MatMul} on the matrix-vector
 * weights, so prefill and decoding share one copy); RoPE, the cache writes and causal attention run
 * per token with the single-token code's order of operations. Batched decoding (one token of each of
 * several sequences, each with its own position and caches) shares the block kernels and takes the
 * per-row ones ({@code cacheRow}, {@code attendRow}) for what each sequence owns.
 */
final class TransformerPrefill {
    private final WeightFormat format;
    /** The constant of a query row's width: {@code D}, or {@code QD} when the heads are not width / heads wide. */
    private final String qd;

    /**
     * @param format how the decoder's matrices are stored
     * @param qd the constant of a query row's width
     */
    TransformerPrefill(WeightFormat format, String qd) {
        this.format = format;
        this.qd = qd;
    }

    /** @return the block kernels, in the order a layer runs them */
    List<KernelMethod> methods() {
        return List.of(normRows(), qkvRows(), ropeRows(), cacheRows(), attendRows(), cacheRow(), attendRow(), attnOutRows(), residualRows(), mlpRows(),
                classifyRows());
    }

    private static List<Param> rows() {
        return List.of(intParam("t0", "first row of the block"), intParam("t1", "row bound"));
    }

    private List<Param> weight(String name, String doc) {
        return Param.matrix(name, doc, format);
    }

    /** {@code C[t][cOff + n] = A[t][:] . W[n][:]} for the block's rows, W {@code [width][depth]}. */
    private MacroOp.MatMul gemm(String a, Expr lda, String w, String width, String depth, String c, Expr cOff, Expr ldc) {
        return gemm(format, a, lda, w, width, depth, c, cOff, ldc, i(0), n(width));
    }

    /**
     * {@code C[t][cOff + n] = A[t][:] . W[n][:]} for the block's rows [t0, t1) and W's rows
     * [from, to), W {@code [width][depth]} in 64-row panels.
     */
    static MacroOp.MatMul gemm(WeightFormat format, String a, Expr lda, String w, String width, String depth, String c, Expr cOff, Expr ldc,
            Expr from, Expr to) {
        return new MacroOp.MatMul(a, i(0), lda, w, i(0), n(width), c, cOff, ldc, n(depth), n("t0"), n("t1"), from, to, format,
                MacroOp.Layout.PANELS);
    }

    /** The classifier's GEMM over rows [t0, t1) and vocabulary [from, to), after {@code count = t1 - t0}: {@code logits[t - t0] = Wcls xb[t]}. */
    static MacroOp.MatMul classifier(WeightFormat format, Expr from, Expr to) {
        return new MacroOp.MatMul("xb", mul(n("t0"), n("D")), n("D"), "wcls", i(0), n("VOCAB"), "logits", i(0), n("VOCAB"), n("D"), i(0),
                n("count"), from, to, format, MacroOp.Layout.PANELS);
    }

    private static Stmt rowsLoop(Stmt... body) {
        return Ir.range("t", n("t0"), n("t1"), false, body);
    }

    private KernelMethod normRows() {
        return new KernelMethod("normRows", "RMS norm of rows [t0, t1): {@code xb[t] = rmsnorm(x[t])} (the token kernels' order).",
                List.of(arr("x", "block rows [rows][D]"), arr("norm", "the norm's weight [D]"), arr("xb", "output [rows][D]"), rows().get(0), rows().get(1)),
                List.of(rowsLoop(TransformerPlanner.rmsnormAt("xb", "x", "norm", mul(n("t"), n("D"))))));
    }

    private KernelMethod qkvRows() {
        return new KernelMethod("qkvRows", "Projections of rows [t0, t1): {@code q = xb Wq^T}, {@code k = xb Wk^T}, {@code v = xb Wv^T}, as GEMMs.",
                params(arr("xb", "normalised rows [rows][D]"), weight("wq", "q_proj"), weight("wk", "k_proj"), weight("wv", "v_proj"),
                        arr("q", "output [rows][" + qd + "]"), arr("k", "output [rows][KV]"), arr("v", "output [rows][KV]"), rows()),
                List.of(op(gemm("xb", n("D"), "wq", qd, "D", "q", i(0), n(qd))),
                        op(gemm("xb", n("D"), "wk", "KV", "D", "k", i(0), n("KV"))),
                        op(gemm("xb", n("D"), "wv", "KV", "D", "v", i(0), n("KV")))));
    }

    private KernelMethod ropeRows() {
        Expr pos = add(n("pos0"), n("t"));
        return new KernelMethod("ropeRows", "RoPE on the queries and keys of rows [t0, t1), row t at position {@code pos0 + t}.",
                List.of(arr("q", "queries [rows][" + qd + "], rotated in place"), arr("k", "keys [rows][KV], rotated in place"), intParam("pos0", "position of row 0"),
                        rows().get(0), rows().get(1), arr("cos", "[MAX_SEQ][HD/2]"), arr("sin", "[MAX_SEQ][HD/2]")),
                List.of(rowsLoop(
                        Ir.invoke("rope", n("q"), mul(n("t"), n(qd)), n("HEADS"), pos, n("cos"), n("sin")),
                        Ir.invoke("rope", n("k"), mul(n("t"), n("KV")), n("KV_HEADS"), pos, n("cos"), n("sin")))));
    }

    private KernelMethod cacheRows() {
        Expr at = add(mul(n("j"), n("MAX_SEQ")), add(n("pos0"), n("t")));
        return new KernelMethod("cacheRows", "Writes the keys and values of rows [t0, t1) into cache columns {@code pos0 + t}.",
                List.of(arr("k", "keys [rows][KV] after RoPE"), arr("v", "values [rows][KV]"), arr("kc", "key cache [KV][MAX_SEQ]"),
                        arr("vc", "value cache [KV][MAX_SEQ]"), intParam("pos0", "position of row 0"), rows().get(0), rows().get(1)),
                List.of(rowsLoop(loop("j", n("KV"), false, List.of(
                        store("kc", at, load("k", add(mul(n("t"), n("KV")), n("j")))),
                        store("vc", at, load("v", add(mul(n("t"), n("KV")), n("j")))))))));
    }

    private KernelMethod attendRows() {
        Expr len = add(n("pos"), i(1));
        // "tok": the lowered attention operations use t themselves
        Expr head = add(mul(n("tok"), n(qd)), mul(n("h"), n("HD")));
        Expr cacheRows = mul(mul(n("kh"), n("HD")), n("MAX_SEQ"));
        // each row its own scratch, so that threads may share a block
        Expr scratch = mul(n("tok"), n("MAX_SEQ"));
        List<Stmt> perHead = List.of(
                Ir.integer("kh", Expr.div(n("h"), n("GROUP"))),
                op(new MacroOp.VecMat("q", head, n("HD"), "kc", cacheRows, n("MAX_SEQ"), len, "att", scratch, n("SQRT_HD"))),
                op(new MacroOp.Softmax("att", scratch, len)),
                op(new MacroOp.RowDots("vc", cacheRows, n("MAX_SEQ"), n("HD"), len, "att", scratch, "out", head)));
        return new KernelMethod("attendRows", "Causal attention of rows [t0, t1), row t at position {@code pos0 + t} over cache columns 0..pos0 + t "
                + "(the block's own keys included: the cache holds them first).",
                List.of(arr("q", "queries [rows][" + qd + "] after RoPE"), arr("kc", "key cache [KV][MAX_SEQ]"), arr("vc", "value cache [KV][MAX_SEQ]"),
                        intParam("pos0", "position of row 0"), rows().get(0), rows().get(1), arr("att", "scratch [rows][MAX_SEQ], a row per token"), arr("out", "output [rows][" + qd + "]")),
                List.of(Ir.range("tok", n("t0"), n("t1"), false, integer("pos", add(n("pos0"), n("tok"))), new Stmt.Loop("h", i(0), n("HEADS"), false, false, perHead))));
    }

    private KernelMethod cacheRow() {
        Expr at = add(mul(n("j"), n("MAX_SEQ")), n("pos"));
        return new KernelMethod("cacheRow", "Writes the key and value of block row {@code blockRow} into cache column {@code pos}.",
                List.of(arr("k", "keys [rows][KV] after RoPE"), arr("v", "values [rows][KV]"), intParam("blockRow", "the row of the block (lowered operations name their own locals row)"), arr("kc", "key cache [KV][MAX_SEQ]"),
                        arr("vc", "value cache [KV][MAX_SEQ]"), intParam("pos", "its position")),
                List.of(loop("j", n("KV"), false, List.of(
                        store("kc", at, load("k", add(mul(n("blockRow"), n("KV")), n("j")))),
                        store("vc", at, load("v", add(mul(n("blockRow"), n("KV")), n("j"))))))));
    }

    private KernelMethod attendRow() {
        Expr len = add(n("pos"), i(1));
        Expr head = add(mul(n("blockRow"), n(qd)), mul(n("h"), n("HD")));
        Expr cacheRows = mul(mul(n("kh"), n("HD")), n("MAX_SEQ"));
        List<Stmt> perHead = List.of(
                Ir.integer("kh", Expr.div(n("h"), n("GROUP"))),
                op(new MacroOp.VecMat("q", head, n("HD"), "kc", cacheRows, n("MAX_SEQ"), len, "att", i(0), n("SQRT_HD"))),
                op(new MacroOp.Softmax("att", i(0), len)),
                op(new MacroOp.RowDots("vc", cacheRows, n("MAX_SEQ"), n("HD"), len, "att", i(0), "out", head)));
        return new KernelMethod("attendRow", "Causal attention of block row {@code blockRow} at position {@code pos} over cache columns 0..pos.",
                List.of(arr("q", "queries [rows][" + qd + "] after RoPE"), intParam("blockRow", "the row of the block (lowered operations name their own locals row)"), arr("kc", "key cache [KV][MAX_SEQ]"),
                        arr("vc", "value cache [KV][MAX_SEQ]"), intParam("pos", "its position"), arr("att", "scratch [MAX_SEQ]"), arr("out", "output [rows][" + qd + "]")),
                List.of(new Stmt.Loop("h", i(0), n("HEADS"), false, false, perHead)));
    }

    /** The classifier over rows [t0, t1) of a batch at once: one pass over its weights instead of one per sequence. */
    private KernelMethod classifyRows() {
        MacroOp.MatMul mm = classifier(format, i(0), n("VOCAB"));
        return new KernelMethod("classifyRows", "Classifier of rows [t0, t1): {@code logits[t - t0] = Wcls xb[t]}, a GEMM.",
                params(weight("wcls", "the classifier [VOCAB][D]"), arr("xb", "normalised rows [rows][D]"), arr("logits", "output [t1 - t0][VOCAB]"),
                        rows()),
                List.of(integer("count", Expr.sub(n("t1"), n("t0"))), op(mm)));
    }

    private KernelMethod attnOutRows() {
        return new KernelMethod("attnOutRows", "Attention output projection of rows [t0, t1): {@code delta = o Wo^T}, a GEMM.",
                params(weight("wo", "o_proj"), arr("o", "attention rows [rows][" + qd + "]"), arr("delta", "output [rows][D]"), rows()),
                List.of(op(gemm("o", n(qd), "wo", "D", qd, "delta", i(0), n("D")))));
    }

    private KernelMethod residualRows() {
        return new KernelMethod("residualRows", "{@code x += delta} over rows [t0, t1).",
                List.of(arr("x", "block rows [rows][D]"), arr("delta", "block outputs [rows][D]"), rows().get(0), rows().get(1)),
                // bounds as final locals: TornadoVM's subset takes no expression as a loop bound
                List.of(integer("from", mul(n("t0"), n("D"))), integer("to", mul(n("t1"), n("D"))),
                        op(new MacroOp.Sum("x", "x", "delta", null, n("from"), n("to")))));
    }

    private KernelMethod mlpRows() {
        Expr hhRow = mul(mul(n("t"), i(2)), n("F"));
        return new KernelMethod("mlpRows", "Feed-forward of rows [t0, t1): {@code out = W2 (silu(W1 rmsnorm(x)) * W3 rmsnorm(x))}, three GEMMs.",
                params(arr("x", "block rows [rows][D]"), arr("norm", "post_attention_layernorm weight [D]"), weight("w1", "gate_proj"), weight("w3", "up_proj"),
                        weight("w2", "down_proj"), arr("xb", "scratch [rows][D]"), arr("hh", "scratch [rows][2F]"), arr("out", "output [rows][D]"), rows()),
                List.of(rowsLoop(TransformerPlanner.rmsnormAt("xb", "x", "norm", mul(n("t"), n("D")))),
                        op(gemm("xb", n("D"), "w1", "F", "D", "hh", i(0), mul(i(2), n("F")))),
                        op(gemm("xb", n("D"), "w3", "F", "D", "hh", n("F"), mul(i(2), n("F")))),
                        rowsLoop(op(new MacroOp.SwiGlu("hh", hhRow, add(hhRow, n("F")), "hh", hhRow, n("F")))),
                        op(gemm("hh", mul(i(2), n("F")), "w2", "D", "F", "out", i(0), n("D")))));
    }
}

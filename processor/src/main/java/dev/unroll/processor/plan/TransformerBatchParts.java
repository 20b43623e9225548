package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.sub;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.TransformerPlanner.arr;
import static dev.unroll.processor.plan.TransformerPlanner.intParam;
import static dev.unroll.processor.plan.TransformerPlanner.params;

import dev.unroll.annotations.WeightFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The GEMMs of a batch of sequences split over threads by their weights' rows: part {@code part}
 * of {@code parts} takes whole 64-row panels of each matrix (as {@link TransformerParts} does for
 * one token) and every row of the block. A few sequences split by rows would leave each thread
 * streaming all the weights for a handful of rows; split by weight rows, the threads share one pass
 * over them. Each output is the same single chain over the depth as in the whole product, so the
 * bits do not depend on the part count.
 */
final class TransformerBatchParts {
    private final WeightFormat format;
    /** The constant of the query width: {@code D}, or {@code QD} when the heads are not width / heads wide. */
    private final String qd;

    /**
     * @param format how the decoder's matrices are stored
     * @param qd the constant of the query width
     */
    TransformerBatchParts(WeightFormat format, String qd) {
        this.format = format;
        this.qd = qd;
    }

    /** @return the part kernels, in the order a layer runs them */
    List<KernelMethod> methods() {
        return List.of(qkvRowsPart(), attnOutRowsPart(), upRowsPart(), downRowsPart(), classifyRowsPart());
    }

    private List<Param> weight(String name, String doc) {
        return Param.matrix(name, doc, format);
    }

    private static List<Param> rowsAndPart() {
        return List.of(intParam("t0", "first row of the block"), intParam("t1", "row bound"), intParam("part", "which part, in [0, parts)"),
                intParam("parts", "parts the products are cut into"));
    }

    /** {@code C[t][cOff + n] = A[t][:] . W[n][:]} for the block's rows and W's rows [from, to). */
    private MacroOp.MatMul gemm(String a, Expr lda, String w, String width, String depth, String c, Expr cOff, Expr ldc, String from, String to) {
        return TransformerPrefill.gemm(format, a, lda, w, width, depth, c, cOff, ldc, n(from), n(to));
    }

    private KernelMethod qkvRowsPart() {
        List<Stmt> b = new ArrayList<>(TransformerParts.range("q0", "q1", qd));
        b.addAll(TransformerParts.range("k0", "k1", "KV"));
        b.add(op(gemm("xb", n("D"), "wq", qd, "D", "q", i(0), n(qd), "q0", "q1")));
        b.add(op(gemm("xb", n("D"), "wk", "KV", "D", "k", i(0), n("KV"), "k0", "k1")));
        b.add(op(gemm("xb", n("D"), "wv", "KV", "D", "v", i(0), n("KV"), "k0", "k1")));
        return new KernelMethod("qkvRowsPart", "A part of the block's projections: rows [t0, t1), this part's columns of {@code q = xb Wq^T}, "
                + "{@code k = xb Wk^T}, {@code v = xb Wv^T}.",
                params(arr("xb", "normalised rows [rows][D]"), weight("wq", "q_proj"), weight("wk", "k_proj"), weight("wv", "v_proj"),
                        arr("q", "output [rows][" + qd + "]"), arr("k", "output [rows][KV]"), arr("v", "output [rows][KV]"), rowsAndPart()),
                b);
    }

    private KernelMethod attnOutRowsPart() {
        List<Stmt> b = new ArrayList<>(TransformerParts.range("d0", "d1", "D"));
        b.add(op(gemm("o", n(qd), "wo", "D", qd, "delta", i(0), n("D"), "d0", "d1")));
        return new KernelMethod("attnOutRowsPart", "A part of the block's attention output projection: rows [t0, t1), this part's columns of "
                + "{@code delta = o Wo^T}.",
                params(weight("wo", "o_proj"), arr("o", "attention rows [rows][" + qd + "]"), arr("delta", "output [rows][D]"), rowsAndPart()), b);
    }

    private KernelMethod upRowsPart() {
        Expr hhRow = mul(mul(n("t"), i(2)), n("F"));
        List<Stmt> b = new ArrayList<>(TransformerParts.range("f0", "f1", "F"));
        b.add(op(gemm("xb", n("D"), "w1", "F", "D", "hh", i(0), mul(i(2), n("F")), "f0", "f1")));
        b.add(op(gemm("xb", n("D"), "w3", "F", "D", "hh", n("F"), mul(i(2), n("F")), "f0", "f1")));
        // a final local for the count: TornadoVM's subset bounds loops by names and literals only
        b.add(integer("fn", sub(n("f1"), n("f0"))));
        b.add(Ir.range("t", n("t0"), n("t1"), false,
                op(new MacroOp.SwiGlu("hh", add(hhRow, n("f0")), add(add(hhRow, n("F")), n("f0")), "hh", add(hhRow, n("f0")), n("fn")))));
        return new KernelMethod("upRowsPart", "A part of the block's feed-forward first half: rows [t0, t1), this part's columns of "
                + "{@code hh = silu(xb W1^T) * xb W3^T}.",
                params(arr("xb", "normalised rows [rows][D]"), weight("w1", "gate_proj"), weight("w3", "up_proj"),
                        arr("hh", "gates then ups [rows][2F]; the gated values in the gates"), rowsAndPart()),
                b);
    }

    private KernelMethod downRowsPart() {
        List<Stmt> b = new ArrayList<>(TransformerParts.range("d0", "d1", "D"));
        b.add(op(gemm("hh", mul(i(2), n("F")), "w2", "D", "F", "out", i(0), n("D"), "d0", "d1")));
        return new KernelMethod("downRowsPart", "A part of the block's feed-forward second half: rows [t0, t1), this part's columns of "
                + "{@code out = hh W2^T}.",
                params(weight("w2", "down_proj"), arr("hh", "gated rows [rows][2F]"), arr("out", "output [rows][D]"), rowsAndPart()), b);
    }

    private KernelMethod classifyRowsPart() {
        List<Stmt> b = new ArrayList<>(TransformerParts.range("v0", "v1", "VOCAB"));
        b.add(integer("count", sub(n("t1"), n("t0"))));
        b.add(op(TransformerPrefill.classifier(format, n("v0"), n("v1"))));
        return new KernelMethod("classifyRowsPart", "A part of the block's classifier: rows [t0, t1), this part's columns of "
                + "{@code logits[t - t0] = Wcls xb[t]}.",
                params(weight("wcls", "the classifier [VOCAB][D]"), arr("xb", "normalised rows [rows][D]"), arr("logits", "output [t1 - t0][VOCAB]"),
                        rowsAndPart()),
                b);
    }
}

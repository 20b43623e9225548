package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.div;
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
 * The kernels of one token's forward split over threads: each matrix-vector product of a layer
 * (and the classifier) cut into {@code parts} parts of whole 64-row panels, part {@code part} per
 * call, so that threads share a token's weights instead of each streaming all of them. Each row
 * is summed exactly as the whole product sums it: a token's logits do not depend on the thread count.
 * The norms before the products run once, on the calling thread ({@code norm}).
 */
final class TransformerParts {
    private final WeightFormat format;
    /** The constant of the query width: {@code D}, or {@code QD} when the heads are not width / heads wide. */
    private final String qd;

    /**
     * @param format how the decoder's matrices are stored
     * @param qd the constant of the query width
     */
    TransformerParts(WeightFormat format, String qd) {
        this.format = format;
        this.qd = qd;
    }

    /** @return the part kernels, in the order a layer runs them */
    List<KernelMethod> methods() {
        return List.of(norm(), qkvPart(), attnOutPart(), upPart(), downPart(), classifyPart());
    }

    private List<Param> weight(String name, String doc) {
        return Param.matrix(name, doc, format);
    }

    private static List<Param> parts() {
        return List.of(intParam("part", "which part, in [0, parts)"), intParam("parts", "parts the products are cut into"));
    }

    /**
     * The first row of part {@code k} of a product of {@code rows} rows: its panels shared out
     * evenly, {@code min(rows, 64 * (panels * k / parts))} (as a conditional: no maths call, so that
     * TornadoVM's subset reads it too).
     */
    static Expr bound(String rows, Expr k) {
        Expr panels = div(add(n(rows), i(63)), i(64));
        Expr edge = mul(i(64), div(mul(panels, k), n("parts")));
        return new Expr.Cond(Expr.lt(edge, n(rows)), edge, n(rows));
    }

    /** Declares {@code from} and {@code to}, this part's rows of a product of {@code rows} rows. */
    static List<Stmt> range(String from, String to, String rows) {
        return List.of(integer(from, bound(rows, n("part"))), integer(to, bound(rows, add(n("part"), i(1)))));
    }

    private MacroOp.MatVec part(String w, String rows, String cols, String x, String y, Expr yOff, String from, String to) {
        return new MacroOp.MatVec(w, n(rows), i(0), n(rows), n(cols), x, i(0), y, yOff, false, format, true, n(from), n(to));
    }

    private KernelMethod norm() {
        return new KernelMethod("norm", "RMS norm: {@code xb = rmsnorm(x)}, before products split over threads.",
                List.of(arr("x", "the residual stream [D]"), arr("norm", "the norm's weight [D]"), arr("xb", "output [D]")),
                List.of(TransformerPlanner.rmsnormAt("xb", "x", "norm", null)));
    }

    private KernelMethod qkvPart() {
        List<Stmt> b = new ArrayList<>(range("q0", "q1", qd));
        b.addAll(range("k0", "k1", "KV"));
        b.add(op(part("wq", qd, "D", "xb", "q", i(0), "q0", "q1")));
        b.add(op(part("wk", "KV", "D", "xb", "kv", i(0), "k0", "k1")));
        b.add(op(part("wv", "KV", "D", "xb", "kv", n("KV"), "k0", "k1")));
        return new KernelMethod("qkvPart", "A part of the attention projections: its rows of {@code q = Wq xb} and {@code kv = (Wk xb, Wv xb)}.",
                params(arr("xb", "the normalised stream [D]"), weight("wq", "q_proj"), weight("wk", "k_proj"), weight("wv", "v_proj"), arr("q", "output [" + qd + "]"), arr("kv", "output: key then value [2 * KV]"),
                        parts()),
                b);
    }

    private KernelMethod attnOutPart() {
        List<Stmt> b = new ArrayList<>(range("d0", "d1", "D"));
        b.add(op(part("wo", "D", qd, "o", "out", i(0), "d0", "d1")));
        return new KernelMethod("attnOutPart", "A part of the attention output projection: its rows of {@code out = Wo o}.",
                params(weight("wo", "o_proj"), arr("o", "attention output [" + qd + "]"), arr("out", "output [D]"), parts()), b);
    }

    private KernelMethod upPart() {
        List<Stmt> b = new ArrayList<>(range("f0", "f1", "F"));
        b.add(op(part("w1", "F", "D", "xb", "hh", i(0), "f0", "f1")));
        b.add(op(part("w3", "F", "D", "xb", "hh", n("F"), "f0", "f1")));
        // a final local for the count: TornadoVM's subset bounds loops by names and literals only
        b.add(integer("fn", sub(n("f1"), n("f0"))));
        b.add(op(new MacroOp.SwiGlu("hh", n("f0"), add(n("F"), n("f0")), "hh", n("f0"), n("fn"))));
        return new KernelMethod("upPart", "A part of the feed-forward's first half: its rows of {@code hh = silu(W1 xb) * W3 xb}.",
                params(arr("xb", "the normalised stream [D]"), weight("w1", "gate_proj"), weight("w3", "up_proj"), arr("hh", "gates then ups [2F]; the gated values in the gates"), parts()),
                b);
    }

    private KernelMethod downPart() {
        List<Stmt> b = new ArrayList<>(range("d0", "d1", "D"));
        b.add(op(part("w2", "D", "F", "hh", "out", i(0), "d0", "d1")));
        return new KernelMethod("downPart", "A part of the feed-forward's second half: its rows of {@code out = W2 hh}.",
                params(weight("w2", "down_proj"), arr("hh", "the gated values [F] (and the ups after them)"), arr("out", "output [D]"), parts()), b);
    }

    private KernelMethod classifyPart() {
        List<Stmt> b = new ArrayList<>(range("v0", "v1", "VOCAB"));
        b.add(op(part("wcls", "VOCAB", "D", "xb", "logits", i(0), "v0", "v1")));
        return new KernelMethod("classifyPart", "A part of the classifier: its rows of {@code logits = Wcls xb}.",
                params(weight("wcls", "the classifier [VOCAB][D]"), arr("xb", "the final norm's output [D]"), arr("logits", "output [VOCAB]"), parts()), b);
    }
}

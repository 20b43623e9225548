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
import static dev.unroll.processor.plan.TransformerPlanner.arr;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The device tasks of a decoder for the TornadoVM glue: one decoding step as a sequence of kernels,
 * each with one 0-based {@code @Parallel} loop (rows of a matrix-vector product, heads, cache columns)
 * or none (the RMS norms, one work-item). They compute what the host kernels compute, in the same
 * order of operations (4-lane dot products, run.c's norm and softmax), so the JVM runs them to the
 * same bits; matrix-vector products add the residual in place instead of through a scratch vector.
 * The token and the position arrive in one-element arrays, which the glue sends on every execution:
 * TornadoVM captures scalar task arguments when the graph is built.
 */
final class TransformerDeviceTasks {
    private final TransformerSpec spec;

    TransformerDeviceTasks(TransformerSpec spec) {
        this.spec = spec;
    }

    /** @return the device tasks, in the order one decoding step runs them */
    List<KernelMethod> methods() {
        return List.of(embed(), rmsNorm(), qkv(), attend(), projectAdd("attnOutTask", "wo", "o", "D",
                "Attention output projection added to the stream: {@code x[r] += Wo[r] . o}."), ffnUp(),
                projectAdd("ffnDownTask", "w2", "hh", "F", "Down projection added to the stream: {@code x[r] += W2[r] . hh}."), nudge(), classify());
    }

    private static Param ints(String name, String doc) {
        return new Param(Type.INT_ARRAY, name, doc);
    }

    private KernelMethod embed() {
        return new KernelMethod("embedTask", "Device task: {@code x = emb[tok[0]]} (the token was checked on the host).",
                List.of(arr("emb", "token embedding [VOCAB][D]"), ints("tok", "the token, in a one-element array"), arr("x", "the stream [D]")),
                List.of(Ir.parallel("e", n("D"), false, List.of(store("x", n("e"), load("emb", add(mul(load("tok", i(0)), n("D")), n("e")))))))).asDeviceTask();
    }

    /** run.c's rmsnorm by one work-item: a reduction over D is not worth a work-group at these widths. */
    private KernelMethod rmsNorm() {
        return new KernelMethod("rmsNormTask", "Device task (one work-item): {@code xb = w * (x / sqrt(mean(x^2) + EPS))}, run.c's order.",
                List.of(arr("x", "the stream [D]"), arr("w", "norm weight [D]"), arr("xb", "output [D]")),
                List.of(realVar("ss", r(0)),
                        loop("e", n("D"), false, List.of(addTo("ss", mul(load("x", n("e")), load("x", n("e")))))),
                        set("ss", div(n("ss"), n("D"))),
                        addTo("ss", n("EPS")),
                        real("inv", div(r(1), call(MathFn.SQRT, n("ss")))),
                        loop("e", n("D"), false, List.of(store("xb", n("e"), mul(load("w", n("e")), mul(n("inv"), load("x", n("e"))))))))).asDeviceTask();
    }

    private KernelMethod qkv() {
        Expr rows = add(n("D"), mul(i(2), n("KV")));
        List<Stmt> body = List.of(
                Ir.when(Expr.lt(n("r"), n("D")),
                        op(new MacroOp.Dot("dot", "wq", mul(n("r"), n("D")), "xb", i(0), n("D"))),
                        store("q", n("r"), n("dot"))),
                Ir.when(Expr.and(Expr.ge(n("r"), n("D")), Expr.lt(n("r"), add(n("D"), n("KV")))),
                        op(new MacroOp.Dot("dot", "wk", mul(sub(n("r"), n("D")), n("D")), "xb", i(0), n("D"))),
                        store("kv", sub(n("r"), n("D")), n("dot"))),
                Ir.when(Expr.ge(n("r"), add(n("D"), n("KV"))),
                        op(new MacroOp.Dot("dot", "wv", mul(sub(sub(n("r"), n("D")), n("KV")), n("D")), "xb", i(0), n("D"))),
                        store("kv", sub(n("r"), n("D")), n("dot"))));
        return new KernelMethod("qkvTask", "Device task: {@code q = Wq xb}, {@code kv = (Wk xb, Wv xb)}, one output row per work-item.",
                List.of(arr("wq", "q_proj [D][D]"), arr("wk", "k_proj [KV][D]"), arr("wv", "v_proj [KV][D]"), arr("xb", "normed stream [D]"),
                        arr("q", "output [D]"), arr("kv", "output: key then value [2 * KV]")),
                List.of(Ir.parallel("r", rows, false, body))).asDeviceTask();
    }

    /**
     * One work-item per query head: RoPE on its query, this position's key (rotated) and value into its
     * key-value head's cache column, then scores, softmax and the weighted sum, in the host kernel's
     * order. One task instead of three (RoPE, cache store, attention) saves two launches per layer: a
     * decoding step is launch-bound on a device. The heads of a group write the same key and value to
     * the same cache elements (identical values), and each reads column {@code pos} after its own write.
     */
    private KernelMethod attend() {
        boolean inter = spec.rope() == RopeLayout.INTERLEAVED;
        Expr half = div(n("HD"), i(2));
        Expr pos = load("pos", i(0));
        Expr first = inter ? mul(i(2), n("f")) : n("f");
        Expr second = inter ? add(mul(i(2), n("f")), i(1)) : add(n("f"), half);
        List<Stmt> rotate = List.of(
                real("c", load("cos", add(mul(pos, half), n("f")))),
                real("s", load("sin", add(mul(pos, half), n("f")))),
                integer("a", add(mul(n("h"), n("HD")), first)),
                integer("b", add(mul(n("h"), n("HD")), second)),
                real("v0", load("q", n("a"))), real("v1", load("q", n("b"))),
                store("q", n("a"), sub(mul(n("v0"), n("c")), mul(n("v1"), n("s")))),
                store("q", n("b"), add(mul(n("v0"), n("s")), mul(n("v1"), n("c")))),
                integer("ka", add(mul(n("kh"), n("HD")), first)),
                integer("kb", add(mul(n("kh"), n("HD")), second)),
                real("k0", load("kv", n("ka"))), real("k1", load("kv", n("kb"))),
                store("kc", add(mul(n("ka"), n("MAX_SEQ")), pos), sub(mul(n("k0"), n("c")), mul(n("k1"), n("s")))),
                store("kc", add(mul(n("kb"), n("MAX_SEQ")), pos), add(mul(n("k0"), n("s")), mul(n("k1"), n("c")))));
        Expr row = add(mul(mul(n("kh"), n("HD")), n("MAX_SEQ")), mul(n("e"), n("MAX_SEQ")));
        Expr at = add(n("base"), n("t"));
        List<Stmt> head = List.of(
                integer("kh", div(n("h"), n("GROUP"))),
                loop("f", half, false, rotate),
                loop("e", n("HD"), false, List.of(store("vc", add(row, pos), load("kv", add(n("KV"), add(mul(n("kh"), n("HD")), n("e"))))))),
                integer("base", mul(n("h"), n("MAX_SEQ"))),
                integer("len", add(pos, i(1))),
                loop("t", n("len"), false, List.of(store("att", at, r(0)))),
                loop("e", n("HD"), false, List.of(
                        real("xe", load("q", add(mul(n("h"), n("HD")), n("e")))),
                        integer("row", row),
                        loop("t", n("len"), false, List.of(Ir.storeAdd("att", at, mul(n("xe"), load("kc", add(n("row"), n("t"))))))))),
                loop("t", n("len"), false, List.of(store("att", at, div(load("att", at), n("SQRT_HD"))))),
                realVar("max", new Expr.RealLit(Double.NEGATIVE_INFINITY)),
                loop("t", n("len"), false, List.of(set("max", call(MathFn.MAX, n("max"), load("att", at))))),
                realVar("sum", r(0)),
                loop("t", n("len"), false, List.of(
                        store("att", at, call(MathFn.EXP, sub(load("att", at), n("max")))),
                        addTo("sum", load("att", at)))),
                loop("t", n("len"), false, List.of(store("att", at, div(load("att", at), n("sum"))))),
                loop("e", n("HD"), false, List.of(
                        integer("row", row),
                        realVar("acc", r(0)),
                        loop("t", n("len"), false, List.of(addTo("acc", mul(load("vc", add(n("row"), n("t"))), load("att", at))))),
                        store("o", add(mul(n("h"), n("HD")), n("e")), n("acc")))));
        return new KernelMethod("attendTask", "Device task: RoPE at position {@code pos[0]} (pairs " + (inter ? "(2i, 2i + 1)" : "(i, i + HD/2)")
                + "), the key and value into cache column {@code pos[0]}, and causal attention over columns 0..pos, one work-item per query head"
                + " (grouped-query).",
                List.of(arr("q", "queries [D], rotated in place"), arr("kv", "key then value [2 * KV] (read only)"),
                        arr("kc", "key cache [KV][MAX_SEQ], column pos written"), arr("vc", "value cache [KV][MAX_SEQ], column pos written"),
                        ints("pos", "the position, in a one-element array"), arr("cos", "[MAX_SEQ][HD/2]"), arr("sin", "[MAX_SEQ][HD/2]"),
                        arr("att", "scratch [HEADS][MAX_SEQ]"), arr("o", "output [D]")),
                List.of(Ir.parallel("h", n("HEADS"), false, head))).asDeviceTask();
    }

    private KernelMethod projectAdd(String name, String w, String x, String cols, String doc) {
        return new KernelMethod(name, "Device task: " + doc,
                List.of(arr(w, "weights [D][" + cols + "]"), arr(x, "input [" + cols + "]"), arr("x", "the stream [D], updated")),
                List.of(Ir.parallel("r", n("D"), false, List.of(
                        op(new MacroOp.Dot("dot", w, mul(n("r"), n(cols)), x, i(0), n(cols))),
                        store("x", n("r"), add(load("x", n("r")), n("dot"))))))).asDeviceTask();
    }

    private KernelMethod ffnUp() {
        return new KernelMethod("ffnUpTask", "Device task: {@code hh[r] = silu(W1[r] . xb) * (W3[r] . xb)}, one row per work-item.",
                List.of(arr("w1", "gate_proj [F][D]"), arr("w3", "up_proj [F][D]"), arr("xb", "normed stream [D]"), arr("hh", "output [F]")),
                List.of(Ir.parallel("r", n("F"), false, List.of(
                        op(new MacroOp.Dot("g", "w1", mul(n("r"), n("D")), "xb", i(0), n("D"))),
                        op(new MacroOp.Dot("u", "w3", mul(n("r"), n("D")), "xb", i(0), n("D"))),
                        store("hh", n("r"), mul(div(n("g"), add(r(1), call(MathFn.EXP, new Expr.Neg(n("g"))))), n("u"))))))).asDeviceTask();
    }

    private KernelMethod nudge() {
        return new KernelMethod("nudgeTask", "Device task: {@code x += nudge}, the recurrent pass's feedback at this position (zeros elsewhere).",
                List.of(arr("x", "the stream [D], updated"), arr("nudge", "feedback sum [D]")),
                List.of(Ir.parallel("e", n("D"), false, List.of(store("x", n("e"), add(load("x", n("e")), load("nudge", n("e")))))))).asDeviceTask();
    }

    private KernelMethod classify() {
        return new KernelMethod("classifyTask", "Device task: {@code logits = Wcls xb}, one row per work-item.",
                List.of(arr("wcls", "classifier [VOCAB][D]"), arr("xb", "final-normed stream [D]"), arr("logits", "output [VOCAB]")),
                List.of(Ir.parallel("r", n("VOCAB"), false, List.of(
                        op(new MacroOp.Dot("dot", "wcls", mul(n("r"), n("D")), "xb", i(0), n("D"))),
                        store("logits", n("r"), n("dot")))))).asDeviceTask();
    }
}

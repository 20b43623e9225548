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
 * The device tasks of a decoder for the TornadoVM glue: a block of tokens (one decoding step, up to
 * {@code DEVICE_BLOCK} prompt tokens, or one token of each of up to {@code DEVICE_BLOCK} sequences, each
 * attending to its own sequence's cache) as a sequence of kernels, each with one 0-based {@code @Parallel}
 * loop (rows of a matrix product, heads, elements, tokens of the block). A matrix task gives each
 * work-item one weight row and loops over the block's tokens, so a block reads the weights once. They
 * compute what the host kernels compute for each token, in the same order of operations (4-lane dot
 * products, run.c's norm and softmax), so the JVM runs them to the same bits; matrix products add the
 * residual in place instead of through a scratch vector. The block's size, tokens and positions arrive
 * in arrays, which the glue sends on every execution: TornadoVM captures scalar task arguments when the
 * graph is built. Token {@code j} of the block uses row {@code j} of every activation buffer; the
 * logits are those of the block's last {@code lc[0]} tokens.
 */
final class TransformerDeviceTasks {
    private final TransformerSpec spec;

    TransformerDeviceTasks(TransformerSpec spec) {
        this.spec = spec;
    }

    /** @return the device tasks, in the order a block runs them */
    List<KernelMethod> methods() {
        return List.of(embed(), rmsNorm(), qkv(), attend(), projectAdd("attnOutTask", "wo", "o", "D",
                "Attention output projection added to the stream: {@code x[j][r] += Wo[r] . o[j]}."), ffnUp(),
                projectAdd("ffnDownTask", "w2", "hh", "F", "Down projection added to the stream: {@code x[j][r] += W2[r] . hh[j]}."), nudge(),
                logitsNorm(), classify());
    }

    private static Param ints(String name, String doc) {
        return new Param(Type.INT_ARRAY, name, doc);
    }

    private static Param count() {
        return ints("n", "tokens in this block, in a one-element array");
    }

    /** {@code for (j = 0; j < n[0]; j++)}: the block's tokens, in order, inside one work-item (the bound a final local). */
    private static List<Stmt> tokens(Stmt... body) {
        return List.of(integer("count", load("n", i(0))), loop("j", n("count"), false, List.of(body)));
    }

    private KernelMethod embed() {
        return new KernelMethod("embedTask", "Device task: {@code x[j] = emb[tok[j]]} (the tokens were checked on the host).",
                List.of(arr("emb", "token embedding [VOCAB][D]"), ints("tok", "the block's tokens [DEVICE_BLOCK]"), count(),
                        arr("x", "the streams [DEVICE_BLOCK][D]")),
                List.of(Ir.parallel("e", n("D"), false, tokens(
                        store("x", add(mul(n("j"), n("D")), n("e")), load("emb", add(mul(load("tok", n("j")), n("D")), n("e")))))))).asDeviceTask();
    }

    /** run.c's rmsnorm, one work-item per token of the block: a reduction over D is not worth a work-group at these widths. */
    private KernelMethod rmsNorm() {
        return new KernelMethod("rmsNormTask", "Device task (one work-item per token): {@code xb[j] = w * (x[j] / sqrt(mean(x[j]^2) + EPS))}, run.c's order.",
                List.of(arr("x", "the streams [DEVICE_BLOCK][D]"), arr("w", "norm weight [D]"), count(), arr("xb", "output [DEVICE_BLOCK][D]")),
                List.of(Ir.parallel("j", n("DEVICE_BLOCK"), false, List.of(Ir.when(Expr.lt(n("j"), load("n", i(0))),
                        normRow(mul(n("j"), n("D")), mul(n("j"), n("D"))).toArray(Stmt[]::new)))))).asDeviceTask();
    }

    /**
     * The final norm of the block's last {@code lc[0]} tokens, whose logits are wanted (the last token of a
     * prompt; every token of a step over many sequences), into rows 0.. of {@code xb}.
     */
    private KernelMethod logitsNorm() {
        return new KernelMethod("logitsNormTask", "Device task (one work-item per token): {@code xb[j - first] = w * (x[j] / sqrt(mean(x[j]^2) + EPS))}"
                + " for the last {@code lc[0]} tokens of the block ({@code first = n[0] - lc[0]}), run.c's order.",
                List.of(arr("x", "the streams [DEVICE_BLOCK][D]"), arr("w", "norm weight [D]"), count(),
                        ints("lc", "tokens whose logits are wanted, the block's last ones, in a one-element array"),
                        arr("xb", "output, one row per wanted token [DEVICE_BLOCK][D]")),
                List.of(Ir.parallel("j", n("DEVICE_BLOCK"), false, List.of(
                        integer("count", load("n", i(0))),
                        integer("first", sub(n("count"), load("lc", i(0)))),
                        Ir.when(Expr.and(Expr.ge(n("j"), n("first")), Expr.lt(n("j"), n("count"))),
                                normRow(mul(n("j"), n("D")), mul(sub(n("j"), n("first")), n("D"))).toArray(Stmt[]::new)))))).asDeviceTask();
    }

    /** One token's norm: {@code xb[to..] = w * x[from..] / rms}. */
    private static List<Stmt> normRow(Expr from, Expr to) {
        return List.of(
                integer("xo", from),
                integer("yo", to),
                realVar("ss", r(0)),
                loop("e", n("D"), false, List.of(addTo("ss", mul(load("x", add(n("xo"), n("e"))), load("x", add(n("xo"), n("e"))))))),
                set("ss", div(n("ss"), n("D"))),
                addTo("ss", n("EPS")),
                real("inv", div(r(1), call(MathFn.SQRT, n("ss")))),
                loop("e", n("D"), false, List.of(store("xb", add(n("yo"), n("e")),
                        mul(load("w", n("e")), mul(n("inv"), load("x", add(n("xo"), n("e")))))))));
    }

    private KernelMethod qkv() {
        Expr rows = add(n("D"), mul(i(2), n("KV")));
        Expr xo = mul(n("j"), n("D"));
        Expr kvo = mul(n("j"), mul(i(2), n("KV")));
        List<Stmt> body = tokens(
                Ir.when(Expr.lt(n("r"), n("D")),
                        op(new MacroOp.Dot("dot", "wq", mul(n("r"), n("D")), "xb", xo, n("D"))),
                        store("q", add(xo, n("r")), n("dot"))),
                Ir.when(Expr.and(Expr.ge(n("r"), n("D")), Expr.lt(n("r"), add(n("D"), n("KV")))),
                        op(new MacroOp.Dot("dot", "wk", mul(sub(n("r"), n("D")), n("D")), "xb", xo, n("D"))),
                        store("kv", add(kvo, sub(n("r"), n("D"))), n("dot"))),
                Ir.when(Expr.ge(n("r"), add(n("D"), n("KV"))),
                        op(new MacroOp.Dot("dot", "wv", mul(sub(sub(n("r"), n("D")), n("KV")), n("D")), "xb", xo, n("D"))),
                        store("kv", add(kvo, sub(n("r"), n("D"))), n("dot"))));
        return new KernelMethod("qkvTask", "Device task: {@code q[j] = Wq xb[j]}, {@code kv[j] = (Wk xb[j], Wv xb[j])}, one output row per work-item.",
                List.of(arr("wq", "q_proj [D][D]"), arr("wk", "k_proj [KV][D]"), arr("wv", "v_proj [KV][D]"), arr("xb", "normed streams [DEVICE_BLOCK][D]"),
                        count(), arr("q", "output [DEVICE_BLOCK][D]"), arr("kv", "output: key then value [DEVICE_BLOCK][2 * KV]")),
                List.of(Ir.parallel("r", rows, false, body))).asDeviceTask();
    }

    /**
     * One work-item per query head, the block's tokens in order: RoPE on the token's query, its key
     * (rotated) and value into its key-value head's cache column, then scores, softmax and the weighted
     * sum, in the host kernel's order. A token attends to the columns its earlier tokens wrote in earlier
     * iterations, so a prompt block is causal without a barrier. One task instead of three (RoPE, cache
     * store, attention) saves two launches per layer: a decoding step is launch-bound on a device. The
     * heads of a group write the same key and value to the same cache elements (identical values), and
     * each reads a column after its own write.
     */
    private KernelMethod attend() {
        boolean inter = spec.rope() == RopeLayout.INTERLEAVED;
        Expr half = div(n("HD"), i(2));
        Expr pos = n("p");
        Expr first = inter ? mul(i(2), n("f")) : n("f");
        Expr second = inter ? add(mul(i(2), n("f")), i(1)) : add(n("f"), half);
        List<Stmt> rotate = List.of(
                real("c", load("cos", add(mul(pos, half), n("f")))),
                real("s", load("sin", add(mul(pos, half), n("f")))),
                integer("a", add(n("qo"), add(mul(n("h"), n("HD")), first))),
                integer("b", add(n("qo"), add(mul(n("h"), n("HD")), second))),
                real("v0", load("q", n("a"))), real("v1", load("q", n("b"))),
                store("q", n("a"), sub(mul(n("v0"), n("c")), mul(n("v1"), n("s")))),
                store("q", n("b"), add(mul(n("v0"), n("s")), mul(n("v1"), n("c")))),
                integer("ka", add(mul(n("kh"), n("HD")), first)),
                integer("kb", add(mul(n("kh"), n("HD")), second)),
                real("k0", load("kv", add(n("kvo"), n("ka")))), real("k1", load("kv", add(n("kvo"), n("kb")))),
                store("kc", add(n("co"), add(mul(n("ka"), n("MAX_SEQ")), pos)), sub(mul(n("k0"), n("c")), mul(n("k1"), n("s")))),
                store("kc", add(n("co"), add(mul(n("kb"), n("MAX_SEQ")), pos)), add(mul(n("k0"), n("s")), mul(n("k1"), n("c")))));
        Expr row = add(n("co"), add(mul(mul(n("kh"), n("HD")), n("MAX_SEQ")), mul(n("e"), n("MAX_SEQ"))));
        Expr at = add(n("base"), n("t"));
        List<Stmt> token = List.of(
                integer("p", load("pos", n("j"))),
                integer("co", load("cacheAt", n("j"))),
                integer("qo", mul(n("j"), n("D"))),
                integer("kvo", mul(n("j"), mul(i(2), n("KV")))),
                loop("f", half, false, rotate),
                loop("e", n("HD"), false, List.of(store("vc", add(row, pos),
                        load("kv", add(n("kvo"), add(n("KV"), add(mul(n("kh"), n("HD")), n("e")))))))),
                integer("len", add(pos, i(1))),
                loop("t", n("len"), false, List.of(store("att", at, r(0)))),
                loop("e", n("HD"), false, List.of(
                        real("xe", load("q", add(n("qo"), add(mul(n("h"), n("HD")), n("e"))))),
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
                        store("o", add(n("qo"), add(mul(n("h"), n("HD")), n("e"))), n("acc")))));
        List<Stmt> head = new ArrayList<>(List.of(
                integer("kh", div(n("h"), n("GROUP"))),
                integer("base", mul(n("h"), n("MAX_SEQ")))));
        head.addAll(tokens(token.toArray(Stmt[]::new)));
        return new KernelMethod("attendTask", "Device task: for each token j of the block, RoPE at position {@code pos[j]} (pairs "
                + (inter ? "(2i, 2i + 1)" : "(i, i + HD/2)") + "), its key and value into cache column {@code pos[j]}, and causal attention"
                + " over columns 0..pos[j], one work-item per query head (grouped-query).",
                List.of(arr("q", "queries [DEVICE_BLOCK][D], rotated in place"), arr("kv", "key then value [DEVICE_BLOCK][2 * KV] (read only)"),
                        arr("kc", "key caches, one [KV][MAX_SEQ] per sequence, the block's columns written"),
                        arr("vc", "value caches, one [KV][MAX_SEQ] per sequence, the block's columns written"),
                        ints("pos", "the block's positions [DEVICE_BLOCK]"),
                        ints("cacheAt", "where each token's cache starts in kc and vc (its sequence's) [DEVICE_BLOCK]"), count(), arr("cos", "[MAX_SEQ][HD/2]"), arr("sin", "[MAX_SEQ][HD/2]"),
                        arr("att", "scratch [HEADS][MAX_SEQ]"), arr("o", "output [DEVICE_BLOCK][D]")),
                List.of(Ir.parallel("h", n("HEADS"), false, head))).asDeviceTask();
    }

    private KernelMethod projectAdd(String name, String w, String x, String cols, String doc) {
        return new KernelMethod(name, "Device task: " + doc,
                List.of(arr(w, "weights [D][" + cols + "]"), arr(x, "input [DEVICE_BLOCK][" + cols + "]"), count(),
                        arr("x", "the streams [DEVICE_BLOCK][D], updated")),
                List.of(Ir.parallel("r", n("D"), false, tokens(
                        op(new MacroOp.Dot("dot", w, mul(n("r"), n(cols)), x, mul(n("j"), n(cols)), n(cols))),
                        integer("at", add(mul(n("j"), n("D")), n("r"))),
                        store("x", n("at"), add(load("x", n("at")), n("dot"))))))).asDeviceTask();
    }

    private KernelMethod ffnUp() {
        return new KernelMethod("ffnUpTask", "Device task: {@code hh[j][r] = silu(W1[r] . xb[j]) * (W3[r] . xb[j])}, one row per work-item.",
                List.of(arr("w1", "gate_proj [F][D]"), arr("w3", "up_proj [F][D]"), arr("xb", "normed streams [DEVICE_BLOCK][D]"), count(),
                        arr("hh", "output [DEVICE_BLOCK][F]")),
                List.of(Ir.parallel("r", n("F"), false, tokens(
                        op(new MacroOp.Dot("g", "w1", mul(n("r"), n("D")), "xb", mul(n("j"), n("D")), n("D"))),
                        op(new MacroOp.Dot("u", "w3", mul(n("r"), n("D")), "xb", mul(n("j"), n("D")), n("D"))),
                        store("hh", add(mul(n("j"), n("F")), n("r")), mul(div(n("g"), add(r(1), call(MathFn.EXP, new Expr.Neg(n("g"))))), n("u"))))))).asDeviceTask();
    }

    private KernelMethod nudge() {
        return new KernelMethod("nudgeTask", "Device task: {@code x[j] += nudge[j]}, the recurrent pass's feedback at each token's position (zeros elsewhere).",
                List.of(arr("x", "the streams [DEVICE_BLOCK][D], updated"), arr("nudge", "feedback sums [DEVICE_BLOCK][D]"), count()),
                List.of(Ir.parallel("e", n("D"), false, tokens(
                        integer("at", add(mul(n("j"), n("D")), n("e"))),
                        store("x", n("at"), add(load("x", n("at")), load("nudge", n("at")))))))).asDeviceTask();
    }

    private KernelMethod classify() {
        return new KernelMethod("classifyTask", "Device task: {@code logits[k] = Wcls xb[k]} for the {@code lc[0]} final-normed streams, one row per"
                + " work-item (the row read once for them all).",
                List.of(arr("wcls", "classifier [VOCAB][D]"), arr("xb", "final-normed streams, one row per wanted token [DEVICE_BLOCK][D]"),
                        ints("lc", "tokens whose logits are wanted, in a one-element array"), arr("logits", "output, one row per wanted token [..][VOCAB]")),
                List.of(Ir.parallel("r", n("VOCAB"), false, List.of(
                        integer("rows", load("lc", i(0))),
                        loop("k", n("rows"), false, List.of(
                                op(new MacroOp.Dot("dot", "wcls", mul(n("r"), n("D")), "xb", mul(n("k"), n("D")), n("D"))),
                                store("logits", add(mul(n("k"), n("VOCAB")), n("r")), n("dot")))))))).asDeviceTask();
    }
}

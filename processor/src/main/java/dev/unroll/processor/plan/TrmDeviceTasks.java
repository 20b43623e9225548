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
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.set;
import static dev.unroll.processor.plan.Ir.store;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.trm.TrmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The device tasks of a Tiny Recursive Model for the TornadoVM glue: one network call (its input, every
 * operation of every layer over the whole batch, its output), the embedding and the heads, each with one
 * 0-based {@code @Parallel} nest over its outputs (batch, rows, columns) and a sequential reduction per
 * work-item. A one-element flag array picks the latent or the answer update, so one task graph serves
 * every network call of the recursion. The host kernels split the same work into row ranges for
 * threads; these cover all of it, so TornadoVM maps each to one ND-range. Each output element is summed
 * in the host kernels' order (a row-axpy over the depth is the same sequence of additions as this dot
 * product), so the JVM runs both to the same bits; the RMS norm's inverse is taken in float here
 * (devices may lack FP64), where the host kernel takes it in double.
 */
final class TrmDeviceTasks {
    private final TrmSpec spec;

    TrmDeviceTasks(TrmSpec spec) {
        this.spec = spec;
    }

    /** @return the device tasks */
    List<KernelMethod> methods() {
        List<KernelMethod> m = new ArrayList<>(List.of(embed(), resetCarry(), recurseIn(), recurseOut()));
        if (spec.mixer() == TokenMixer.MLP) {
            m.add(mixerUp());
            m.add(swiGlu("mixerActTask", "batch", "Token-mixer activation: {@code act[b][m] = silu(gu[b][m]) * gu[b][MIX_I + m]}, per element.",
                    "MIX_I", "H"));
            m.add(mixerDown());
        } else {
            m.add(rowProduct("qkvTask", "wT", "hs", "qkv", "H", mul(i(3), n("H")), "Fused q, k, v projection of every row."));
            m.add(rope());
            m.add(attend());
            m.add(rowProduct("outProjectTask", "wT", "o", "delta", "H", n("H"), "Attention output projection of every row."));
        }
        m.add(residualNorm());
        m.add(rowProduct("mlpUpTask", "wT", "hs", "gu", "H", mul(i(2), n("MLP_I")), "Gate and up projections of every row."));
        m.add(swiGlu("mlpActTask", "rows", "Channel MLP activation: {@code act[r] = silu(gu[r][:MLP_I]) * gu[r][MLP_I:]}, per element.", null, "MLP_I"));
        m.add(rowProduct("mlpDownTask", "wT", "act", "delta", "MLP_I", n("H"), "Down projection of every row."));
        m.add(heads());
        return m;
    }

    private static Param arr(String name, String doc) {
        return new Param(Type.REAL_ARRAY, name, doc);
    }

    private static Param count(String name, String doc) {
        return new Param(Type.INT, name, doc);
    }

    private KernelMethod embed() {
        Expr dst = add(mul(add(mul(n("b"), n("L")), n("p")), n("H")), n("c"));
        Expr fromPrefix = mul(n("EMBED_SCALE"), load("prefix", add(mul(n("p"), n("H")), n("c"))));
        Stmt token = Ir.block(List.of(
                integer("tok", load("tokens", add(mul(n("b"), n("CONTEXT")), sub(n("p"), n("PREFIX"))))),
                store("x", dst, mul(n("EMBED_SCALE"), load("emb", add(mul(n("tok"), n("H")), n("c")))))));
        Stmt body = new Stmt.If(Expr.lt(n("p"), n("PREFIX")), List.of(store("x", dst, fromPrefix)), List.of(token));
        return new KernelMethod("embedTask", "Device task: {@code x[b] = EMBED_SCALE * cat(prefix, emb[tokens[b]])} for every puzzle (tokens checked on the host).",
                List.of(new Param(Type.INT_ARRAY, "tokens", "tokens [batch][CONTEXT]"), arr("emb", "token embedding [VOCAB][H]"),
                        arr("prefix", "prefix positions [PREFIX][H]"), arr("x", "output [batch][L][H]"), count("batch", "puzzles")),
                List.of(Ir.parallel("b", n("batch"), false, List.of(Ir.parallel("p", n("L"), false, List.of(Ir.parallel("c", n("H"), false,
                        List.of(body)))))))).asDeviceTask();
    }

    /** Puts the initial carry into y and z when {@code reset[0]} is set; the carry otherwise stays as the last step left it. */
    private KernelMethod resetCarry() {
        Expr c = sub(n("e"), mul(div(n("e"), n("H")), n("H")));
        return new KernelMethod("resetCarryTask", "Device task: {@code y = y_init, z = z_init} on every row when {@code reset[0] != 0}; else nothing.",
                List.of(arr("yInit", "y_init [H]"), arr("zInit", "z_init [H]"), arr("y", "answer state [rows][H]"), arr("z", "latent state [rows][H]"),
                        new Param(Type.INT_ARRAY, "reset", "the flag, in a one-element array"), count("n", "elements: rows * H")),
                List.of(Ir.parallel("e", n("n"), false, List.of(Ir.when(new Expr.Bin(BinOp.NE, load("reset", i(0)), i(0)),
                        store("y", n("e"), load("yInit", c)), store("z", n("e"), load("zInit", c))))))).asDeviceTask();
    }

    /** The network call's input: the latent update's when {@code which[0] == 0}, else the answer update's. */
    private KernelMethod recurseIn() {
        Expr latent = add(add(load("x", n("e")), load("y", n("e"))), load("z", n("e")));
        Expr answer = add(load("y", n("e")), load("z", n("e")));
        return new KernelMethod("recurseInTask", "Device task: {@code hs = (x + y) + z} (latent update, {@code which[0] == 0}, the seed's order) "
                + "or {@code hs = y + z} (answer update), element-wise.",
                List.of(arr("x", "input embedding"), arr("y", "answer state"), arr("z", "latent state"), arr("hs", "the network's input, output"),
                        new Param(Type.INT_ARRAY, "which", "0: latent update, 1: answer update, in a one-element array"), count("n", "elements")),
                List.of(Ir.parallel("e", n("n"), false, List.of(store("hs", n("e"),
                        new Expr.Cond(new Expr.Bin(BinOp.EQ, load("which", i(0)), i(0)), latent, answer)))))).asDeviceTask();
    }

    /** Stores the network call's output into z (latent update) or y (answer update). */
    private KernelMethod recurseOut() {
        return new KernelMethod("recurseOutTask", "Device task: {@code z = hs} ({@code which[0] == 0}) or {@code y = hs}, element-wise.",
                List.of(arr("hs", "the network's output"), arr("y", "answer state"), arr("z", "latent state"),
                        new Param(Type.INT_ARRAY, "which", "0: latent update, 1: answer update, in a one-element array"), count("n", "elements")),
                List.of(Ir.parallel("e", n("n"), false, List.of(new Stmt.If(new Expr.Bin(BinOp.EQ, load("which", i(0)), i(0)),
                        List.of(store("z", n("e"), load("hs", n("e")))), List.of(store("y", n("e"), load("hs", n("e"))))))))).asDeviceTask();
    }

    /** {@code c[i][j] = sum_p a[i][p] * wT[p][j]} for every row i and column j: one output element per work-item. */
    private KernelMethod rowProduct(String name, String w, String a, String c, String depth, Expr width, String doc) {
        List<Stmt> body = List.of(
                realVar("acc", r(0)),
                loop("p", n(depth), false, List.of(addTo("acc", mul(load(a, add(mul(n("i"), n(depth)), n("p"))), load(w, add(mul(n("p"), width), n("j"))))))),
                store(c, add(mul(n("i"), width), n("j")), n("acc")));
        return new KernelMethod(name, "Device task: " + doc,
                List.of(arr(w, "weights, transposed: [" + depth + "][width]"), arr(a, "input rows [rows][" + depth + "]"), arr(c, "output rows [rows][width]"),
                        count("rows", "rows: batch * L")),
                List.of(Ir.parallel("i", n("rows"), false, List.of(Ir.parallel("j", width, false, body))))).asDeviceTask();
    }

    private KernelMethod mixerUp() {
        List<Stmt> body = List.of(
                realVar("acc", r(0)),
                loop("p", n("L"), false, List.of(addTo("acc", mul(load("w", add(mul(n("i"), n("L")), n("p"))),
                        load("hs", add(mul(add(mul(n("b"), n("L")), n("p")), n("H")), n("j"))))))),
                store("gu", add(mul(add(mul(mul(n("b"), i(2)), n("MIX_I")), n("i")), n("H")), n("j")), n("acc")));
        return new KernelMethod("mixerUpTask", "Device task: token mixer, gate and up: {@code gu[b] = W hs[b]} for every puzzle.",
                List.of(arr("w", "gate_up_proj.weight [2*MIX_I][L]"), arr("hs", "hidden states [batch][L][H]"), arr("gu", "output [batch][2*MIX_I][H]"),
                        count("batch", "puzzles")),
                List.of(Ir.parallel("b", n("batch"), false, List.of(Ir.parallel("i", mul(i(2), n("MIX_I")), false, List.of(
                        Ir.parallel("j", n("H"), false, body))))))).asDeviceTask();
    }

    private KernelMethod mixerDown() {
        List<Stmt> body = List.of(
                realVar("acc", r(0)),
                loop("p", n("MIX_I"), false, List.of(addTo("acc", mul(load("w", add(mul(n("i"), n("MIX_I")), n("p"))),
                        load("act", add(mul(add(mul(n("b"), n("MIX_I")), n("p")), n("H")), n("j"))))))),
                store("delta", add(mul(add(mul(n("b"), n("L")), n("i")), n("H")), n("j")), n("acc")));
        return new KernelMethod("mixerDownTask", "Device task: token mixer, down: {@code delta[b] = W act[b]} for every puzzle.",
                List.of(arr("w", "down_proj.weight [L][MIX_I]"), arr("act", "activations [batch][MIX_I][H]"), arr("delta", "output [batch][L][H]"),
                        count("batch", "puzzles")),
                List.of(Ir.parallel("b", n("batch"), false, List.of(Ir.parallel("i", n("L"), false, List.of(
                        Ir.parallel("j", n("H"), false, body))))))).asDeviceTask();
    }

    /**
     * SiLU-gated product over {@code groups x blocks x width} elements: element (g, m, e) reads the gate
     * at {@code (g*2*blocks + m)*width + e}, the up value {@code blocks*width} further on, and writes
     * {@code (g*blocks + m)*width + e}. The token mixer has MIX_I blocks per puzzle (a 3D nest); the
     * channel MLP one block per row (a 2D nest).
     */
    private KernelMethod swiGlu(String name, String groups, String doc, String blocks, String width) {
        boolean one = blocks == null;
        Expr b = one ? i(1) : n(blocks);
        Expr m = one ? i(0) : n("m");
        Expr gate = add(mul(add(mul(mul(n("g"), i(2)), b), m), n(width)), n("e"));
        Expr up = add(gate, mul(b, n(width)));
        Expr dst = add(mul(add(mul(n("g"), b), m), n(width)), n("e"));
        List<Stmt> body = List.of(
                real("gv", load("gu", gate)),
                store("act", dst, mul(div(n("gv"), add(r(1), call(MathFn.EXP, new Expr.Neg(n("gv"))))), load("gu", up))));
        Stmt inner = Ir.parallel("e", n(width), false, body);
        Stmt nest = Ir.parallel("g", n(groups), false, List.of(one ? inner : Ir.parallel("m", b, false, List.of(inner))));
        return new KernelMethod(name, "Device task: " + doc,
                List.of(arr("gu", "gate and up"), arr("act", "output"), count(groups, groups.equals("rows") ? "rows: batch * L" : "puzzles")),
                List.of(nest)).asDeviceTask();
    }

    private KernelMethod residualNorm() {
        Expr at = add(mul(n("r"), n("H")), n("e"));
        return new KernelMethod("residualNormTask", "Device task: post-norm residual {@code hs = rms_norm(hs + delta)}, one row per work-item.",
                List.of(arr("hs", "hidden states [rows][H], updated"), arr("delta", "block output [rows][H]"), count("rows", "rows: batch * L")),
                List.of(Ir.parallel("r", n("rows"), false, List.of(
                        realVar("ss", r(0)),
                        loop("e", n("H"), false, List.of(
                                real("v", add(load("hs", at), load("delta", at))),
                                store("hs", at, n("v")),
                                addTo("ss", mul(n("v"), n("v"))))),
                        real("inv", div(r(1), call(MathFn.SQRT, add(div(n("ss"), n("H")), n("EPS"))))),
                        loop("e", n("H"), false, List.of(store("hs", at, mul(load("hs", at), n("inv"))))))))).asDeviceTask();
    }

    private KernelMethod rope() {
        Expr half = div(n("HEAD_DIM"), i(2));
        Expr table = mul(add(mul(n("pos"), half), n("f")), i(2));
        List<Stmt> body = List.of(
                integer("pos", sub(n("r"), mul(div(n("r"), n("L")), n("L")))),
                integer("base", add(add(mul(n("r"), mul(i(3), n("H"))), mul(n("part"), n("H"))), mul(n("hh"), n("HEAD_DIM")))),
                loop("f", half, false, List.of(
                        real("cos", load("cs", table)),
                        real("sin", load("cs", add(table, i(1)))),
                        real("a", load("qkv", add(n("base"), n("f")))),
                        real("bb", load("qkv", add(add(n("base"), half), n("f")))),
                        store("qkv", add(n("base"), n("f")), sub(mul(n("a"), n("cos")), mul(n("bb"), n("sin")))),
                        store("qkv", add(add(n("base"), half), n("f")), add(mul(n("bb"), n("cos")), mul(n("a"), n("sin")))))));
        return new KernelMethod("ropeTask", "Device task: rotate-half RoPE on the q and k parts of every row, one (row, part, head) per work-item.",
                List.of(arr("qkv", "q, k, v rows [rows][3*H], updated"), arr("cs", "[L][HEAD_DIM/2][2]"), count("rows", "rows: batch * L")),
                List.of(Ir.parallel("r", n("rows"), false, List.of(Ir.parallel("part", i(2), false, List.of(
                        Ir.parallel("hh", n("HEADS"), false, body))))))).asDeviceTask();
    }

    /** One work-item per (puzzle, head, query position), with its own row of the scores scratch. */
    private KernelMethod attend() {
        Expr q = add(mul(add(mul(n("b"), n("L")), n("p")), mul(i(3), n("H"))), mul(n("hh"), n("HEAD_DIM")));
        Expr k = add(add(mul(add(mul(n("b"), n("L")), n("j")), mul(i(3), n("H"))), n("H")), mul(n("hh"), n("HEAD_DIM")));
        Expr v = add(add(mul(add(mul(n("b"), n("L")), n("j")), mul(i(3), n("H"))), mul(i(2), n("H"))), mul(n("hh"), n("HEAD_DIM")));
        Expr s = add(n("sOff"), n("j"));
        List<Stmt> body = List.of(
                integer("sOff", mul(add(mul(add(mul(n("b"), n("HEADS")), n("hh")), n("L")), n("p")), n("L"))),
                realVar("max", new Expr.RealLit(Double.NEGATIVE_INFINITY)),
                loop("j", n("L"), false, List.of(
                        realVar("sc", r(0)),
                        loop("e", n("HEAD_DIM"), false, List.of(addTo("sc", mul(load("qkv", add(q, n("e"))), load("qkv", add(k, n("e"))))))),
                        store("scores", s, mul(n("sc"), n("ATTN_SCALE"))),
                        set("max", call(MathFn.MAX, n("max"), load("scores", s))))),
                realVar("sum", r(0)),
                loop("j", n("L"), false, List.of(
                        real("ex", call(MathFn.EXP, sub(load("scores", s), n("max")))),
                        store("scores", s, n("ex")),
                        addTo("sum", n("ex")))),
                loop("e", n("HEAD_DIM"), false, List.of(
                        realVar("acc", r(0)),
                        loop("j", n("L"), false, List.of(addTo("acc", mul(load("scores", s), load("qkv", add(v, n("e"))))))),
                        store("o", add(add(mul(add(mul(n("b"), n("L")), n("p")), n("H")), mul(n("hh"), n("HEAD_DIM"))), n("e")), div(n("acc"), n("sum"))))));
        return new KernelMethod("attendTask", "Device task: softmax attention, every query position against every key, one (puzzle, head, position) per work-item.",
                List.of(arr("qkv", "q, k, v rows [batch][L][3*H] after RoPE"), arr("o", "output rows [batch][L][H]"),
                        arr("scores", "scratch [batch][HEADS][L][L]"), count("batch", "puzzles")),
                List.of(Ir.parallel("b", n("batch"), false, List.of(Ir.parallel("hh", n("HEADS"), false, List.of(
                        Ir.parallel("p", n("L"), false, body))))))).asDeviceTask();
    }

    /** Logits of every (puzzle, position, token) and the halting outputs, one output per work-item. */
    private KernelMethod heads() {
        Expr logits = mul(n("CONTEXT"), n("VOCAB"));
        List<Stmt> logit = List.of(
                integer("t", div(n("k"), n("VOCAB"))),
                integer("v", sub(n("k"), mul(n("t"), n("VOCAB")))),
                integer("row", mul(add(add(mul(n("b"), n("L")), n("PREFIX")), n("t")), n("H"))),
                realVar("acc", r(0)),
                loop("c", n("H"), false, List.of(addTo("acc", mul(load("y", add(n("row"), n("c"))), load("outW", add(mul(n("v"), n("H")), n("c"))))))),
                store("logits", add(mul(n("b"), logits), n("k")), n("acc")));
        List<Stmt> halt = List.of(
                integer("o", sub(n("k"), logits)),
                realVar("acc", load("qB", n("o"))),
                loop("c", n("H"), false, List.of(addTo("acc", mul(load("y", add(mul(mul(n("b"), n("L")), n("H")), n("c"))), load("qW", add(mul(n("o"), n("H")), n("c"))))))),
                store("halt", add(mul(n("b"), n("HALT")), n("o")), n("acc")));
        return new KernelMethod("headsTask", "Device task: output head on the non-prefix positions and halting head on position 0 of every puzzle.",
                List.of(arr("y", "answer state [batch][L][H]"), arr("outW", "output_head.proj.weight [VOCAB][H]"), arr("qW", "q_head.proj.weight [HALT][H]"),
                        arr("qB", "q_head.proj.bias [HALT]"), arr("logits", "output [batch][CONTEXT][VOCAB]"), arr("halt", "output [batch][HALT]"),
                        count("batch", "puzzles")),
                List.of(Ir.parallel("b", n("batch"), false, List.of(Ir.parallel("k", add(logits, n("HALT")), false, List.of(
                        new Stmt.If(Expr.lt(n("k"), logits), logit, halt))))))).asDeviceTask();
    }
}

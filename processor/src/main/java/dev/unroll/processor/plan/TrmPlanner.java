package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.store;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.model.TrmDescriptor;
import dev.unroll.runtime.trm.TrmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the kernels of a {@code @TinyRecursiveModel}. Every operation of a layer is one kernel
 * method over a range (rows, output columns, batch entries), so that the generated model can run
 * it on several threads; matrix products are {@link MacroOp.MatMul} with every dimension and stride
 * constant. The recursion itself (cycles, latent steps, layers) is unrolled by the model emitter.
 */
public final class TrmPlanner {
    private final TrmSpec spec;
    private final WeightFormat format;
    private final List<Constant> constants = new ArrayList<>();
    private final List<String> decisions = new ArrayList<>();

    private TrmPlanner(TrmSpec spec, WeightFormat format) {
        this.spec = spec;
        this.format = format;
    }

    /**
     * @param d a validated descriptor
     * @return its plan
     */
    public static TrmPlan plan(TrmDescriptor d) {
        return new TrmPlanner(d.spec(), d.weights()).build(d);
    }

    private TrmPlan build(TrmDescriptor d) {
        int h = spec.hidden();
        int l = spec.sequence();
        c("H", h, "Hidden size.");
        c("L", l, "Positions per puzzle: PREFIX + CONTEXT.");
        c("CONTEXT", spec.context(), "Input tokens per puzzle.");
        c("PREFIX", spec.prefix(), "Prefix positions before the tokens (position 0 feeds the halting head).");
        c("VOCAB", spec.vocab(), "Vocabulary size.");
        c("LAYERS", spec.layers(), "Layers of the shared network.");
        c("LATENT_STEPS", spec.latentSteps(), "Latent updates per cycle (n).");
        c("CYCLES", spec.cycles(), "Deep recursion cycles per supervision step (T).");
        c("HALT", spec.haltOutputs(), "Outputs of the halting head.");
        c("MLP_I", spec.mlpIntermediate(), "Channel SwiGLU width: find_multiple(round(expansion * H * 2 / 3), 256).");
        constants.add(Constant.ofReal("EPS", spec.normEps(), "RMS norm epsilon."));
        constants.add(Constant.ofReal("EMBED_SCALE", Math.sqrt(h), "sqrt(H): the embedding scale."));
        List<KernelMethod> m = new ArrayList<>();
        m.add(embed());
        m.add(sum(true));
        m.add(sum(false));
        if (spec.mixer() == TokenMixer.MLP) {
            c("MIX_I", spec.mixerIntermediate(), "Token-mixer SwiGLU width: find_multiple(round(expansion * L * 2 / 3), 256).");
            m.add(mixerUp());
            m.add(mixerAct());
            m.add(mixerDown());
            decisions.add("token mixer: SwiGLU over the " + l + " positions, computed as W x per puzzle (no transposes): "
                    + 2 * spec.mixerIntermediate() + " x " + l + " then " + l + " x " + spec.mixerIntermediate());
        } else {
            c("HEADS", spec.heads(), "Attention heads.");
            c("HEAD_DIM", spec.headWidth(), "Width of one head.");
            constants.add(Constant.ofReal("ATTN_SCALE", 1.0 / Math.sqrt(spec.headWidth()), "1 / sqrt(HEAD_DIM)."));
            m.add(rowMatMul("qkvProject", "wT", "hs", "qkv", "H", "3 * H", "Fused q, k, v projection of rows [r0, r1), columns [n0, n1)."));
            m.add(rope());
            m.add(attend());
            m.add(rowMatMul("outProject", "wT", "o", "delta", "H", "H", "Attention output projection of rows [r0, r1), columns [n0, n1)."));
            decisions.add("token mixer: non-causal attention, " + spec.heads() + " heads of " + spec.headWidth() + ", rotate-half RoPE");
        }
        m.add(residualNorm());
        m.add(rowMatMul("mlpUp", "wT", "hs", "gu", "H", "2 * MLP_I", "Gate and up projections of rows [r0, r1), columns [n0, n1)."));
        m.add(mlpAct());
        m.add(rowMatMul("mlpDown", "wT", "act", "delta", "MLP_I", "H", "Down projection of rows [r0, r1), columns [n0, n1)."));
        m.add(heads());
        m.addAll(new TrmDeviceTasks(spec).methods());
        decisions.add("channel MLP: " + h + " -> 2 x " + spec.mlpIntermediate() + " -> " + h + " per position, GEMMs over all positions of the batch");
        decisions.add("recursion as counted loops in the model (per-layer weights in an array): " + spec.cycles() + " cycles x (" + spec.latentSteps() + " latent + 1 answer) = "
                + spec.cycles() * (spec.latentSteps() + 1) + " network calls of " + spec.layers() + " layers each");
        if (format != WeightFormat.F32) {
            decisions.add(format + " row projections in panels of 64 rows (PackedMatrix), one product per row over a tile of columns");
        }
        KernelPlan kp = new KernelPlan(d.source().packageName(), d.source().baseName(), d.describe(), d.source().qualifiedName(),
                Precision.F32, List.copyOf(constants), HelperUse.of(m), List.copyOf(m), List.copyOf(decisions), 0);
        return new TrmPlan(d, kp);
    }

    private void c(String name, int value, String doc) {
        constants.add(Constant.ofInt(name, value, doc));
    }

    private static Param arr(String name, String doc) {
        return new Param(Type.REAL_ARRAY, name, doc);
    }

    private static Param integerParam(String name, String doc) {
        return new Param(Type.INT, name, doc);
    }

    private KernelMethod embed() {
        Ir.Body b = new Ir.Body();
        b.add(loop("p", n("PREFIX"), false, List.of(loop("c", n("H"), false, List.of(
                store("x", add(mul(add(mul(n("b"), n("L")), n("p")), n("H")), n("c")), mul(n("EMBED_SCALE"), load("prefix", add(mul(n("p"), n("H")), n("c"))))))))));
        b.add(loop("t", n("CONTEXT"), false, List.of(
                integer("tok", load("tokens", add(mul(n("b"), n("CONTEXT")), n("t")))),
                integer("dst", mul(add(add(mul(n("b"), n("L")), n("PREFIX")), n("t")), n("H"))),
                loop("c", n("H"), false, List.of(store("x", add(n("dst"), n("c")), mul(n("EMBED_SCALE"), load("emb", add(mul(n("tok"), n("H")), n("c"))))))))));
        return new KernelMethod("embed", "Embeds puzzle {@code b}: {@code x[b] = EMBED_SCALE * cat(prefix, emb[tokens[b]])} (tokens already checked).",
                List.of(new Param(Type.INT_ARRAY, "tokens", "tokens [B][CONTEXT]"), arr("emb", "token embedding [VOCAB][H]"),
                        arr("prefix", "prefix positions [PREFIX][H]"), arr("x", "output [B][L][H]"), integerParam("b", "the puzzle")),
                b.build());
    }

    private KernelMethod sum(boolean three) {
        List<Param> p = new ArrayList<>(List.of(arr("out", "output"), arr("x", "first"), arr("y", "second")));
        if (three) {
            p.add(arr("z", "third"));
        }
        p.add(integerParam("from", "first element"));
        p.add(integerParam("to", "element bound"));
        return new KernelMethod(three ? "sum3" : "sum2", three ? "{@code out = (x + y) + z} element-wise over [from, to), in the seed's order."
                : "{@code out = x + y} element-wise over [from, to).", p,
                List.of(op(new MacroOp.Sum("out", "x", "y", three ? "z" : null, n("from"), n("to")))));
    }

    private KernelMethod mixerUp() {
        return new KernelMethod("mixerUp", "Token mixer, gate and up: {@code gu[b] = W hs[b]} ({@code [2*MIX_I][L] x [L][H]}) for rows [m0, m1).",
                List.of(arr("w", "gate_up_proj.weight [2*MIX_I][L]"), arr("hs", "hidden states [B][L][H]"), arr("gu", "output [B][2*MIX_I][H]"),
                        integerParam("b", "the puzzle"), integerParam("m0", "first row"), integerParam("m1", "row bound")),
                List.of(op(new MacroOp.MatMul("w", i(0), n("L"), "hs", mul(mul(n("b"), n("L")), n("H")), n("H"),
                        "gu", mul(mul(mul(n("b"), i(2)), n("MIX_I")), n("H")), n("H"), n("L"), n("m0"), n("m1"), i(0), n("H")))));
    }

    private KernelMethod mixerAct() {
        return new KernelMethod("mixerAct", "Token mixer activation: {@code act[b][m] = silu(gu[b][m]) * gu[b][MIX_I + m]} for rows [m0, m1).",
                List.of(arr("gu", "gate and up [B][2*MIX_I][H]"), arr("act", "output [B][MIX_I][H]"), integerParam("b", "the puzzle"),
                        integerParam("m0", "first row"), integerParam("m1", "row bound")),
                List.of(Ir.range("m", n("m0"), n("m1"), true,
                        op(new MacroOp.SwiGlu("gu", mul(add(mul(mul(n("b"), i(2)), n("MIX_I")), n("m")), n("H")),
                                mul(add(add(mul(mul(n("b"), i(2)), n("MIX_I")), n("MIX_I")), n("m")), n("H")),
                                "act", mul(add(mul(n("b"), n("MIX_I")), n("m")), n("H")), n("H"))))));
    }

    private KernelMethod mixerDown() {
        return new KernelMethod("mixerDown", "Token mixer, down: {@code delta[b] = W act[b]} ({@code [L][MIX_I] x [MIX_I][H]}) for rows [p0, p1).",
                List.of(arr("w", "down_proj.weight [L][MIX_I]"), arr("act", "activations [B][MIX_I][H]"), arr("delta", "output [B][L][H]"),
                        integerParam("b", "the puzzle"), integerParam("p0", "first position"), integerParam("p1", "position bound")),
                List.of(op(new MacroOp.MatMul("w", i(0), n("MIX_I"), "act", mul(mul(n("b"), n("MIX_I")), n("H")), n("H"),
                        "delta", mul(mul(n("b"), n("L")), n("H")), n("H"), n("MIX_I"), n("p0"), n("p1"), i(0), n("H")))));
    }

    private KernelMethod rowMatMul(String name, String w, String a, String c, String depth, String width, String doc) {
        Expr d = expr(depth);
        Expr wd = expr(width);
        List<Param> params = new ArrayList<>(Param.matrix(w, format == WeightFormat.F32
                ? "weights, transposed: [" + depth + "][" + width + "] (SIMD flavour: [" + width + "][" + depth + "] in panels of 64 rows)"
                : "weights [" + width + "][" + depth + "]", format));
        params.addAll(List.of(arr(a, "input rows [rows][" + depth + "]"), arr(c, "output rows [rows][" + width + "]"), integerParam("r0", "first row"),
                integerParam("r1", "row bound"), integerParam("n0", "first column"), integerParam("n1", "column bound")));
        return new KernelMethod(name, doc, params,
                List.of(op(new MacroOp.MatMul(a, i(0), d, w, i(0), wd, c, i(0), wd, d, n("r0"), n("r1"), n("n0"), n("n1"), format,
                        MacroOp.Layout.WEIGHTS))));
    }

    private static Expr expr(String s) {
        return s.startsWith("2 * ") ? mul(i(2), n(s.substring(4))) : s.startsWith("3 * ") ? mul(i(3), n(s.substring(4))) : n(s);
    }

    private KernelMethod mlpAct() {
        return new KernelMethod("mlpAct", "Channel MLP activation: {@code act[r] = silu(gu[r][:MLP_I]) * gu[r][MLP_I:]} for rows [r0, r1).",
                List.of(arr("gu", "gate and up [rows][2*MLP_I]"), arr("act", "output [rows][MLP_I]"), integerParam("r0", "first row"),
                        integerParam("r1", "row bound")),
                List.of(Ir.range("r", n("r0"), n("r1"), true,
                        op(new MacroOp.SwiGlu("gu", mul(mul(n("r"), i(2)), n("MLP_I")), add(mul(mul(n("r"), i(2)), n("MLP_I")), n("MLP_I")),
                                "act", mul(n("r"), n("MLP_I")), n("MLP_I"))))));
    }

    private KernelMethod residualNorm() {
        return new KernelMethod("residualNorm", "Post-norm residual: {@code hs = rms_norm(hs + delta)} for rows [r0, r1).",
                List.of(arr("hs", "hidden states [rows][H], updated"), arr("delta", "block output [rows][H]"), integerParam("r0", "first row"),
                        integerParam("r1", "row bound")),
                List.of(Ir.range("r", n("r0"), n("r1"), true,
                        op(new MacroOp.ResidualRmsNorm("hs", "delta", mul(n("r"), n("H")), n("H"), n("EPS"))))));
    }

    private KernelMethod rope() {
        Expr half = new Expr.Bin(BinOp.DIV, n("HEAD_DIM"), i(2));
        Expr table = mul(add(mul(n("pos"), half), n("f")), i(2));
        List<Stmt> rotate = List.of(
                real("cos", load("cs", table)),
                real("sin", load("cs", add(table, i(1)))),
                real("a", load("qkv", add(n("base"), n("f")))),
                real("bb", load("qkv", add(add(n("base"), half), n("f")))),
                store("qkv", add(n("base"), n("f")), Expr.sub(mul(n("a"), n("cos")), mul(n("bb"), n("sin")))),
                store("qkv", add(add(n("base"), half), n("f")), add(mul(n("bb"), n("cos")), mul(n("a"), n("sin")))));
        List<Stmt> perHead = List.of(
                integer("base", add(add(mul(n("r"), mul(i(3), n("H"))), mul(n("part"), n("H"))), mul(n("hh"), n("HEAD_DIM")))),
                loop("f", half, false, rotate));
        Stmt perRow = Ir.range("r", n("r0"), n("r1"), true,
                integer("pos", new Expr.Bin(BinOp.SUB, n("r"), mul(new Expr.Bin(BinOp.DIV, n("r"), n("L")), n("L")))),
                loop("part", i(2), false, List.of(loop("hh", n("HEADS"), false, perHead))));
        return new KernelMethod("rope", "Rotate-half RoPE on the q and k parts of rows [r0, r1); {@code cs[p][i] = (cos, sin)} of position p, frequency i.",
                List.of(arr("qkv", "q, k, v rows [rows][3*H], updated"), arr("cs", "[L][HEAD_DIM/2][2]"), integerParam("r0", "first row"),
                        integerParam("r1", "row bound")),
                List.of(perRow));
    }

    private KernelMethod attend() {
        Expr q = add(mul(add(mul(n("b"), n("L")), n("p")), mul(i(3), n("H"))), mul(n("hh"), n("HEAD_DIM")));
        Expr k = add(add(mul(add(mul(n("b"), n("L")), n("j")), mul(i(3), n("H"))), n("H")), mul(n("hh"), n("HEAD_DIM")));
        Expr v = add(add(mul(add(mul(n("b"), n("L")), n("j")), mul(i(3), n("H"))), mul(i(2), n("H"))), mul(n("hh"), n("HEAD_DIM")));
        List<Stmt> perPos = List.of(
                realVar("max", new Expr.RealLit(Double.NEGATIVE_INFINITY)),
                loop("j", n("L"), false, List.of(
                        realVar("s", Expr.r(0)),
                        loop("e", n("HEAD_DIM"), false, List.of(Ir.addTo("s", mul(load("qkv", add(q, n("e"))), load("qkv", add(k, n("e"))))))),
                        store("scores", add(n("sOff"), n("j")), mul(n("s"), n("ATTN_SCALE"))),
                        Ir.set("max", Expr.call(MathFn.MAX, n("max"), load("scores", add(n("sOff"), n("j"))))))),
                realVar("sum", Expr.r(0)),
                loop("j", n("L"), false, List.of(
                        real("ex", Expr.call(MathFn.EXP, Expr.sub(load("scores", add(n("sOff"), n("j"))), n("max")))),
                        store("scores", add(n("sOff"), n("j")), n("ex")),
                        Ir.addTo("sum", n("ex")))),
                loop("e", n("HEAD_DIM"), false, List.of(
                        realVar("acc", Expr.r(0)),
                        loop("j", n("L"), false, List.of(Ir.addTo("acc", mul(load("scores", add(n("sOff"), n("j"))), load("qkv", add(v, n("e"))))))),
                        store("o", add(add(mul(add(mul(n("b"), n("L")), n("p")), n("H")), mul(n("hh"), n("HEAD_DIM"))), n("e")),
                                Expr.div(n("acc"), n("sum"))))));
        return new KernelMethod("attend", "Softmax attention of head {@code hh} of puzzle {@code b}, every query position against every key.",
                List.of(arr("qkv", "q, k, v rows [B][L][3*H] after RoPE"), arr("o", "output rows [B][L][H]"), arr("scores", "scratch of L per task"),
                        integerParam("sOff", "this task's scratch offset"), integerParam("b", "the puzzle"), integerParam("hh", "the head")),
                List.of(loop("p", n("L"), false, perPos)));
    }

    private KernelMethod heads() {
        Ir.Body b = new Ir.Body();
        b.add(loop("t", n("CONTEXT"), false, List.of(
                integer("row", mul(add(add(mul(n("b"), n("L")), n("PREFIX")), n("t")), n("H"))),
                loop("v", n("VOCAB"), false, List.of(
                        realVar("acc", Expr.r(0)),
                        loop("c", n("H"), false, List.of(Ir.addTo("acc", mul(load("y", add(n("row"), n("c"))), load("outW", add(mul(n("v"), n("H")), n("c"))))))),
                        store("logits", add(mul(add(mul(n("b"), n("CONTEXT")), n("t")), n("VOCAB")), n("v")), n("acc")))))));
        b.add(loop("o", n("HALT"), false, List.of(
                realVar("acc", load("qB", n("o"))),
                loop("c", n("H"), false, List.of(Ir.addTo("acc", mul(load("y", add(mul(mul(n("b"), n("L")), n("H")), n("c"))), load("qW", add(mul(n("o"), n("H")), n("c"))))))),
                store("halt", add(mul(n("b"), n("HALT")), n("o")), n("acc")))));
        return new KernelMethod("heads", "Output head on the non-prefix positions and halting head on position 0 of puzzle {@code b}.",
                List.of(arr("y", "answer state [B][L][H]"), arr("outW", "output_head.proj.weight [VOCAB][H]"), arr("qW", "q_head.proj.weight [HALT][H]"),
                        arr("qB", "q_head.proj.bias [HALT]"), arr("logits", "output [B][CONTEXT][VOCAB]"), arr("halt", "output [B][HALT]"),
                        integerParam("b", "the puzzle")),
                b.build());
    }
}

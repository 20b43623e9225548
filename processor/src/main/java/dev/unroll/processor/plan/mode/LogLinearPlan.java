package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.div;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Ir.block;
import static dev.unroll.processor.plan.Ir.comment;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.invoke;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.store;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;
import static dev.unroll.processor.plan.mode.HeadPlanner.scratch;
import static dev.unroll.processor.plan.mode.HeadPlanner.scratchAt;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.BinOp;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.Helper;
import dev.unroll.processor.plan.Ir;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.Stmt;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.definition.LogLinearDefinition;
import dev.unroll.runtime.attention.mode.LogLinearMode;
import java.util.List;

/**
 * Log-linear attention. The head's scratch holds the leaf key (K), the carry of the binary counter
 * (K x V), the level weights (L) and V for a readout; the state holds L matrices of K x V.
 */
final class LogLinearPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.LOG_LINEAR;
    }

    private static int carry(AttentionSpec s) {
        return s.keyWidth();
    }

    private static int lambdaAt(AttentionSpec s) {
        return s.keyWidth() + s.keyWidth() * s.valueWidth();
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return lambdaAt(spec) + spec.get(LogLinearMode.MAX_LEVELS) + spec.valueWidth();
    }

    @Override
    public void constants(HeadPlanner p) {
        AttentionSpec s = p.spec();
        p.intConst("L", s.get(LogLinearMode.MAX_LEVELS), "Fenwick levels.");
        p.intConst("KV", s.keyWidth() * s.valueWidth(), "Values in one K x V matrix.");
        p.realConst("LAMBDA_INIT", s.get(LogLinearMode.LAMBDA_INIT), "Bias of the level logits.");
    }

    @Override
    public void headStep(HeadPlanner p) {
        AttentionSpec s = p.spec();
        int lambdaAt = lambdaAt(s);
        boolean normalise = LogLinearDefinition.normalisedLeafKeys(s);
        AttentionMode inner = s.get(LogLinearMode.INNER);
        p.decision(normalise ? "leaf keys L2-normalised (inner " + inner + " is delta-family)" : "leaf keys used raw (inner " + inner + ")");
        if (normalise) {
            p.emitAll(p.normaliseKey(row("ROW_KEY"), 0));
        } else {
            p.emit(loop("i", n("K"), p.unrollK(), List.of(store("scratch", add(n("sc"), n("i")), proj("ROW_KEY", n("i"))))));
        }
        p.emit(comment("leaf = k v^T, pushed into the binary counter of levels"));
        p.emit(loop("i", n("K"), p.unrollK(), List.of(loop("j", n("V"), p.unrollV(), List.of(
                store("scratch", add(add(scratchAt(i(carry(s))), mul(n("i"), n("V"))), n("j")),
                        mul(load("scratch", add(n("sc"), n("i"))), proj("ROW_VALUE", n("j")))))))));
        p.emit(integer("base", n("s"))); // the stream's state offset included
        p.emit(invoke(Helper.PUSH_LEAF, n("state"), n("base"), n("scratch"), scratchAt(i(carry(s))), n("mask")));
        p.emit(Ir.along("after", call(Helper.NEXT_MASK, n("mask"))));
        p.emitAll(levelWeights(p, lambdaAt));
        p.emit(loop("j", n("V"), p.unrollV(), List.of(store("out", add(n("o"), n("j")), r(0)))));
        p.emit(mixLevels(n("after"), n("base"), "out", lambdaAt));
    }

    /** Reads out the occupied levels of the counter {@code mask}, weighted by the level weights. */
    @Override
    public void queryHead(HeadPlanner p) {
        int lambdaAt = lambdaAt(p.spec());
        p.emit(ModePlan.projectRows(p, "ROW_QUERY", "K"));
        p.emit(integer("sc", mul(n("h"), n("SCRATCH_PER_HEAD"))));
        p.emit(ModePlan.projectRows(p, "ROW_LAMBDA", "L"));
        p.emitAll(levelWeights(p, lambdaAt));
        p.emit(loop("j", n("V"), p.unrollV(), List.of(store("concat", add(n("o"), n("j")), r(0)))));
        p.emit(mixLevels(load("meta", i(1)), n("s"), "concat", lambdaAt));
    }

    /** {@code out += lambda_l S_l^T q} for every occupied level with a non-zero weight. */
    private static Stmt mixLevels(Expr mask, Expr base, String out, int lambdaAt) {
        Expr lambda = scratch(i(lambdaAt), n("l"));
        Expr occupied = new Expr.Bin(BinOp.NE, new Expr.Bin(BinOp.BIT_AND, mask, new Expr.Bin(BinOp.SHL, new Expr.LongLit(1), n("l"))), i(0));
        return loop("l", n("L"), false, List.of(Ir.when(new Expr.Bin(BinOp.AND, occupied, new Expr.Bin(BinOp.NE, lambda, r(0))),
                op(new MacroOp.TransposeTimes("state", add(base, mul(n("l"), n("KV"))), n("K"), n("V"), "proj", row("ROW_QUERY"),
                        out, n("o"), lambda)))));
    }

    /** {@code lambda_l = softplus(W_l x + LAMBDA_INIT) / sum_m softplus(...)}, into scratch at {@code at}. */
    private static List<Stmt> levelWeights(HeadPlanner p, int at) {
        return List.of(block(List.of(
                realVar("sum", r(0)),
                loop("l", n("L"), false, List.of(
                        real("sp", p.softplus(add(load("proj", add(row("ROW_LAMBDA"), n("l"))), n("LAMBDA_INIT")))),
                        store("scratch", add(scratchAt(i(at)), n("l")), n("sp")),
                        Ir.addTo("sum", n("sp")))),
                loop("l", n("L"), false, List.of(store("scratch", add(scratchAt(i(at)), n("l")),
                        div(scratch(i(at), n("l")), n("sum"))))))));
    }
}

package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.mode.HeadPlanner.decay;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.Stmt;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.DeltaProductMode;
import java.util.ArrayList;
import java.util.List;

/** DeltaProduct: {@code S = g S}, then N Householder delta steps, each with its own key, value and beta. */
final class DeltaProductPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.DELTA_PRODUCT;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.keyWidth() + spec.valueWidth();
    }

    @Override
    public void constants(HeadPlanner p) {
        p.intConst("N", p.spec().get(DeltaProductMode.COMPOSITIONS), "Householder steps per token.");
    }

    @Override
    public void headStep(HeadPlanner p) {
        int n = p.spec().get(DeltaProductMode.COMPOSITIONS);
        boolean un = HeadPlanner.unrolled(n);
        p.decision(un ? "Householder compositions unrolled (N = " + n + ")" : "Householder compositions counted");
        p.emit(real("g", p.sigmoid(proj("ROW_GATE", i(0)))), decay(n("g")));
        Expr sg = p.sigmoid(load("proj", add(row("ROW_COMP_BETAS"), n("n"))));
        List<Stmt> body = new ArrayList<>(p.normaliseKey(add(row("ROW_COMP_KEYS"), mul(n("n"), n("K"))), 0));
        body.add(real("beta", p.spec().get(DeltaProductMode.REFLECTIONS) ? mul(r(2), sg) : sg));
        body.addAll(p.deltaStep(n("beta"), n("sc"), add(n("sc"), n("K")), add(row("ROW_COMP_VALUES"), mul(n("n"), n("V"))), "proj"));
        p.emit(loop("n", n("N"), un, body));
        p.emit(readout());
    }
}

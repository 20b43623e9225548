package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.mode.HeadPlanner.decayAndWriteValue;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;

import dev.unroll.annotations.AttentionMode;

/** GLA: {@code S = sigmoid(w_gate . x) S + k v^T}. */
final class GlaPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.GLA;
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(real("g", p.sigmoid(proj("ROW_GATE", i(0)))), decayAndWriteValue(n("g"), proj("ROW_KEY", n("i"))), readout());
    }
}

package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.mode.HeadPlanner.decayAndWriteValue;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;
import static dev.unroll.processor.plan.mode.HeadPlanner.scratch;
import static dev.unroll.processor.plan.mode.HeadPlanner.scratchAt;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.runtime.attention.AttentionSpec;

/** GLA with per-key gates: {@code a = sigmoid(W_gate x)} in scratch, {@code S = diag(a) S + k v^T}. */
final class GlaVectorPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.GLA_VECTOR;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.keyWidth();
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(op(new MacroOp.Sigmoid("proj", row("ROW_GATE_VEC"), "scratch", scratchAt(Expr.i(0)), n("K"), null, null)),
                decayAndWriteValue(scratch(Expr.i(0), n("i")), proj("ROW_KEY", n("i"))), readout());
    }
}

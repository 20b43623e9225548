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
import dev.unroll.runtime.attention.mode.Hgrn2Mode;

/** HGRN2: {@code a = LOWER_BOUND + GATE_SPAN sigmoid(W x)} per key, {@code S = diag(a) S + k v^T}. */
final class Hgrn2Plan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.HGRN2;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.keyWidth();
    }

    @Override
    public void constants(HeadPlanner p) {
        double lb = p.spec().get(Hgrn2Mode.LOWER_BOUND);
        p.realConst("LOWER_BOUND", lb, "Lower bound of the forget gate.");
        p.realConst("GATE_SPAN", 1.0 - lb, "1 - LOWER_BOUND, the gate's range above its bound.");
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(op(new MacroOp.Sigmoid("proj", row("ROW_HGRN2_GATE"), "scratch", scratchAt(Expr.i(0)), n("K"), n("LOWER_BOUND"), n("GATE_SPAN"))),
                decayAndWriteValue(scratch(Expr.i(0), n("i")), proj("ROW_KEY", n("i"))), readout());
    }
}

package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.mode.HeadPlanner.decayAndWriteValue;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.mode.RetNetMode;

/** RetNet: {@code S = GAMMA S + k v^T}. */
final class RetNetPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.RETNET;
    }

    @Override
    public void constants(HeadPlanner p) {
        p.realConst("GAMMA", p.spec().get(RetNetMode.GAMMA), "RetNet's decay.");
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(decayAndWriteValue(n("GAMMA"), proj("ROW_KEY", n("i"))), readout());
    }
}

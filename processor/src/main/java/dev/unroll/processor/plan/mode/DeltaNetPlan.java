package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;

/** DeltaNet: normalise the key into scratch, then a delta step of size 1. */
final class DeltaNetPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.DELTA_NET;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.keyWidth() + spec.valueWidth();
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emitAll(p.normaliseKey(row("ROW_KEY"), 0));
        p.emitAll(p.deltaStep(null, n("sc"), add(n("sc"), n("K")), row("ROW_VALUE"), "proj"));
        p.emit(readout());
    }
}

package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.mode.HeadPlanner.decay;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.GatedDeltaNetMode;

/** Gated DeltaNet: {@code S = g S}, normalise the key, a delta step of size beta. */
final class GatedDeltaNetPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.GATED_DELTA_NET;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.keyWidth() + spec.valueWidth();
    }

    @Override
    public void constants(HeadPlanner p) {
        if (p.spec().get(GatedDeltaNetMode.BETA_MODE) == BetaMode.STATIC) {
            p.realConst("BETA", p.spec().get(GatedDeltaNetMode.BETA_SCALE), "Static delta-rule step.");
        }
    }

    @Override
    public void headStep(HeadPlanner p) {
        boolean perToken = p.spec().get(GatedDeltaNetMode.BETA_MODE) == BetaMode.PER_TOKEN;
        p.emit(real("g", p.sigmoid(proj("ROW_GATE", i(0)))));
        p.emit(real("beta", perToken ? p.sigmoid(proj("ROW_BETA_SCALAR", i(0))) : n("BETA")));
        p.emit(decay(n("g")));
        p.emitAll(p.normaliseKey(row("ROW_KEY"), 0));
        p.emitAll(p.deltaStep(n("beta"), n("sc"), add(n("sc"), n("K")), row("ROW_VALUE"), "proj"));
        p.emit(readout());
    }
}

package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.comment;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.store;
import static dev.unroll.processor.plan.mode.HeadPlanner.decayUpdate;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import java.util.List;

/** mLSTM: {@code S = f S + k (i v)^T}, the input gate scaling v first as the reference. */
final class MlstmPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.MLSTM;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.valueWidth();
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(comment("S = f S + k (i v)^T: the input gate scales v first, as the reference"),
                real("f", p.sigmoid(proj("ROW_GATE", i(0)))),
                real("ig", p.sigmoid(proj("ROW_GATE2", i(0)))),
                loop("j", n("V"), p.unrollV(), List.of(store("scratch", add(n("sc"), n("j")), mul(n("ig"), proj("ROW_VALUE", n("j")))))),
                decayUpdate(n("f"), proj("ROW_KEY", n("i")), "scratch", n("sc")),
                readout());
    }
}

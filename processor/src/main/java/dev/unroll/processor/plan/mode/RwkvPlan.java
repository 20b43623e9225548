package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.comment;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.mode.HeadPlanner.decayAndWriteValue;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;
import static dev.unroll.processor.plan.mode.HeadPlanner.scratch;
import static dev.unroll.processor.plan.mode.HeadPlanner.scratchAt;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.Helper;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.RwkvMode;

/** RWKV: {@code S = d S + exp(k) v^T} with {@code d = rwkvDecay(w_decay . x)}. */
final class RwkvPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.RWKV;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return spec.keyWidth();
    }

    @Override
    public void constants(HeadPlanner p) {
        p.realConst("INITIAL_DECAY", p.spec().get(RwkvMode.INITIAL_DECAY), "RWKV's base decay rate.");
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(comment("gate: d = exp(-w), w = -ln(exp(-(INITIAL_DECAY + softplus(w_decay . x)))) (50 when the gate underflows)"),
                real("decay", call(Helper.RWKV_DECAY, proj("ROW_DECAY", i(0)))),
                comment("keys enter through exp(k)"),
                op(new MacroOp.Exp("proj", row("ROW_KEY"), "scratch", scratchAt(i(0)), n("K"), null)),
                decayAndWriteValue(n("decay"), scratch(i(0), n("i"))),
                readout());
    }
}

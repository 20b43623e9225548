package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.store;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;

import dev.unroll.annotations.AttentionMode;
import java.util.List;

/** Hawk: element-wise {@code s_j = sigmoid(alpha_j) s_j + sigmoid(beta_j) v_j}; the state is the output. */
final class HawkPlan implements ModePlan {
    @Override
    public AttentionMode mode() {
        return AttentionMode.HAWK;
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.decision("vector state: element-wise update");
        p.emit(loop("j", n("V"), p.unrollV(), List.of(
                real("alpha", p.sigmoid(proj("ROW_ALPHA", n("j")))),
                real("beta", p.sigmoid(proj("ROW_BETA", n("j")))),
                store("state", add(n("s"), n("j")), add(mul(n("alpha"), load("state", add(n("s"), n("j")))),
                        mul(n("beta"), proj("ROW_VALUE", n("j"))))),
                store("out", add(n("o"), n("j")), load("state", add(n("s"), n("j")))))));
    }

    @Override
    public void queryHead(HeadPlanner p) {
        p.emit(loop("j", n("V"), p.unrollV(), List.of(store("concat", add(n("o"), n("j")), load("state", add(n("s"), n("j")))))));
    }
}

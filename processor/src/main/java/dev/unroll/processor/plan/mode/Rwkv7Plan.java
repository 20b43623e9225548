package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Expr.sub;
import static dev.unroll.processor.plan.Ir.comment;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.store;
import static dev.unroll.processor.plan.mode.HeadPlanner.decay;
import static dev.unroll.processor.plan.mode.HeadPlanner.decayUpdate;
import static dev.unroll.processor.plan.mode.HeadPlanner.proj;
import static dev.unroll.processor.plan.mode.HeadPlanner.readout;
import static dev.unroll.processor.plan.mode.HeadPlanner.row;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.Ir;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.MathFn;
import dev.unroll.runtime.attention.AttentionSpec;
import java.util.List;

/**
 * RWKV-7. The head's scratch holds, in K-wide slots: the decay w, the normalised removal key,
 * the write vector b, the replacement key, the in-context rate, then V for {@code S^T kappa}.
 */
final class Rwkv7Plan implements ModePlan {
    /** RWKV-7 decay scale {@code -ln 0.6}, fixed at plan time with fdlibm. */
    static final double DECAY_SCALE = -StrictMath.log(0.6);
    private static final int DECAY = 0;
    private static final int REMOVAL = 1;
    private static final int WRITE = 2;
    private static final int REPLACE = 3;
    private static final int RATE = 4;
    private static final int REMOVED = 5;

    @Override
    public AttentionMode mode() {
        return AttentionMode.RWKV7;
    }

    @Override
    public int scratchPerHead(AttentionSpec spec) {
        return REMOVED * spec.keyWidth() + spec.valueWidth();
    }

    @Override
    public void constants(HeadPlanner p) {
        p.realConst("DECAY_SCALE", DECAY_SCALE, "-ln(0.6): per-key decays lie in (0.6, 1).");
        p.realConst("NEG_DECAY_SCALE", -DECAY_SCALE, "-DECAY_SCALE, the factor inside exp.");
    }

    /** The index of slot {@code slot} (a multiple of K) plus {@code index} in the head's scratch. */
    private static Expr slot(int slot, Expr index) {
        Expr base = slot == 0 ? n("sc") : add(n("sc"), slot == 1 ? n("K") : mul(i(slot), n("K")));
        return index == null ? base : add(base, index);
    }

    @Override
    public void headStep(HeadPlanner p) {
        p.emit(integer("ax", mul(n("h"), n("AUX_PER_HEAD"))));
        p.emit(comment("per-key decay w = exp(-DECAY_SCALE sigmoid(.)) and in-context rate sigmoid(.), element-wise"));
        p.emit(op(new MacroOp.Sigmoid("proj", row("ROW_DECAY_VEC"), "scratch", slot(DECAY, null), n("K"), null, null)),
              op(new MacroOp.Exp("scratch", slot(DECAY, null), "scratch", slot(DECAY, null), n("K"), n("NEG_DECAY_SCALE"))),
              op(new MacroOp.Sigmoid("proj", row("ROW_ICLR"), "scratch", slot(RATE, null), n("K"), null, null)));
        p.emit(comment("removal key, write vector, replacement key"));
        p.emit(realVar("ss", r(0)));
        p.emit(loop("i", n("K"), p.unrollK(), List.of(
                real("kappa", mul(proj("ROW_KEY", n("i")), load("aux", add(add(n("ax"), n("AUX_XI")), n("i"))))),
                store("scratch", slot(REMOVAL, n("i")), n("kappa")),
                Ir.addTo("ss", mul(n("kappa"), n("kappa"))))));
        p.emit(real("norm", call(MathFn.SQRT, n("ss"))), real("inv", HeadPlanner.inverseNorm()));
        p.emit(loop("i", n("K"), p.unrollK(), List.of(
                real("kh", mul(load("scratch", slot(REMOVAL, n("i"))), n("inv"))),
                store("scratch", slot(REMOVAL, n("i")), n("kh")),
                real("rate", load("scratch", slot(RATE, n("i")))),
                store("scratch", slot(WRITE, n("i")), new Expr.Neg(mul(n("rate"), n("kh")))),
                store("scratch", slot(REPLACE, n("i")), mul(proj("ROW_KEY", n("i")),
                        add(r(1), mul(load("aux", add(add(n("ax"), n("AUX_ALPHA_RK")), n("i"))), sub(n("rate"), r(1)))))))));
        p.emit(decay(load("scratch", slot(DECAY, n("i")))),
              op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "scratch", slot(REMOVAL, null), "scratch", slot(REMOVED, null), null)),
              decayUpdate(null, load("scratch", slot(WRITE, n("i"))), "scratch", slot(REMOVED, null)),
              decayUpdate(null, load("scratch", slot(REPLACE, n("i"))), "proj", row("ROW_VALUE")),
              readout());
    }
}

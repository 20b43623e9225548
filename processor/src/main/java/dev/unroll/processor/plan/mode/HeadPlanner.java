package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.div;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Expr.sub;
import static dev.unroll.processor.plan.Ir.block;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.store;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.BinOp;
import dev.unroll.processor.plan.Constant;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.Helper;
import dev.unroll.processor.plan.Ir;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.MathFn;
import dev.unroll.processor.plan.Stmt;
import dev.unroll.runtime.attention.AttentionSpec;
import java.util.List;

/**
 * The building blocks a mode's plan composes one head's token step from, over the names the layer
 * planner declares: {@code proj} (the token's fused projections, the head's block at {@code p}),
 * {@code state} (the head's state at {@code s}), {@code scratch} (the head's scratch at {@code sc}),
 * {@code aux} (element-wise weights at {@code ax}) and the head's outputs ({@code out} at {@code o}).
 */
public final class HeadPlanner {
    /** Inner loops this short are unrolled. */
    public static final int UNROLL_LIMIT = 8;

    private final AttentionSpec spec;
    private final Ir.Body body = new Ir.Body();
    private final List<Constant> constants;
    private final List<String> decisions;
    private WeightFormat weights = WeightFormat.F32;

    /**
     * @param spec the layer
     * @param constants the kernel class's constants, appended to
     * @param decisions the plan's decisions, appended to
     */
    public HeadPlanner(AttentionSpec spec, List<Constant> constants, List<String> decisions) {
        this.spec = spec;
        this.constants = constants;
        this.decisions = decisions;
    }

    /**
     * @param format how the fused input projection is stored
     * @return this
     */
    public HeadPlanner weights(WeightFormat format) {
        this.weights = format;
        return this;
    }

    /** @return how the fused input projection is stored */
    public WeightFormat weights() {
        return weights;
    }


    /** @return the layer */
    public AttentionSpec spec() {
        return spec;
    }

    /**
     * @param s statements to append
     * @return this
     */
    public HeadPlanner emit(Stmt... s) {
        body.add(s);
        return this;
    }

    /**
     * @param s statements to append
     * @return this
     */
    public HeadPlanner emitAll(List<Stmt> s) {
        body.addAll(s);
        return this;
    }

    /** @return the statements so far */
    public List<Stmt> statements() {
        return body.build();
    }

    /**
     * @param count a trip count
     * @return whether a loop of that many iterations is unrolled
     */
    public static boolean unrolled(int count) {
        return count <= UNROLL_LIMIT;
    }

    /** @return whether loops over K are unrolled */
    public boolean unrollK() {
        return unrolled(spec.keyWidth());
    }

    /** @return whether loops over V are unrolled */
    public boolean unrollV() {
        return unrolled(spec.valueWidth());
    }

    /**
     * @param text a planning decision, reported in the kernel's javadoc
     */
    public void decision(String text) {
        decisions.add(text);
    }

    /**
     * @param name constant name
     * @param value value
     * @param doc javadoc
     */
    public void intConst(String name, int value, String doc) {
        constants.add(Constant.ofInt(name, value, doc));
    }

    /**
     * @param name constant name
     * @param value value
     * @param doc javadoc
     */
    public void realConst(String name, double value, String doc) {
        constants.add(Constant.ofReal(name, value, doc));
    }

    /**
     * @param x argument
     * @return {@code sigmoid(x)}
     */
    public Expr sigmoid(Expr x) {
        return call(Helper.SIGMOID, x);
    }

    /**
     * @param x argument
     * @return {@code softplus(x)}
     */
    public Expr softplus(Expr x) {
        return call(Helper.SOFTPLUS, x);
    }

    /**
     * @param rowConst a segment's first-row constant, e.g. {@code ROW_GATE}
     * @return the offset of that segment in {@code proj}
     */
    public static Expr row(String rowConst) {
        return add(n("p"), n(rowConst));
    }

    /**
     * @param rowConst a segment's first-row constant
     * @param index the element within the segment
     * @return {@code proj[p + rowConst + index]}
     */
    public static Expr proj(String rowConst, Expr index) {
        return load("proj", add(row(rowConst), index));
    }

    /**
     * @param offset an offset within the head's scratch
     * @return its index in {@code scratch}
     */
    public static Expr scratchAt(Expr offset) {
        return offset instanceof Expr.IntLit l && l.value() == 0 ? n("sc") : add(n("sc"), offset);
    }

    /**
     * @param offset an offset within the head's scratch
     * @param index the element
     * @return {@code scratch[sc + offset + index]}
     */
    public static Expr scratch(Expr offset, Expr index) {
        return load("scratch", add(scratchAt(offset), index));
    }

    /**
     * {@code S = scale * S + coef_i * u^T} (null scale: no decay; null coef: decay only).
     *
     * @param scale the decay
     * @param coef row {@code i}'s coefficient
     * @param u the vector's array
     * @param uOff its offset
     * @return the update
     */
    public static Stmt decayUpdate(Expr scale, Expr coef, String u, Expr uOff) {
        return op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", scale, coef, u, uOff));
    }

    /**
     * @param scale the decay
     * @return {@code S = scale * S}
     */
    public static Stmt decay(Expr scale) {
        return decayUpdate(scale, null, null, null);
    }

    /**
     * @param scale the decay
     * @param keyRow row {@code i}'s key
     * @return {@code S = scale * S + k v^T} with the token's value projection
     */
    public static Stmt decayAndWriteValue(Expr scale, Expr keyRow) {
        return decayUpdate(scale, keyRow, "proj", row("ROW_VALUE"));
    }

    /** @return the post-update readout {@code out = S^T q} */
    public static Stmt readout() {
        return op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "proj", row("ROW_QUERY"), "out", n("o"), null));
    }

    /**
     * Copies a key from {@code proj} into scratch at {@code at} and L2-normalises it there, as the
     * reference (a zero norm below 1e-12 gives a zero key).
     *
     * @param from the key's offset in proj
     * @param at its offset in the head's scratch
     * @return the statements
     */
    public List<Stmt> normaliseKey(Expr from, int at) {
        boolean un = unrollK();
        return List.of(block(List.of(
                realVar("ss", r(0)),
                loop("i", n("K"), un, List.of(
                        real("x", load("proj", add(from, n("i")))),
                        store("scratch", add(scratchAt(i(at)), n("i")), n("x")),
                        Ir.addTo("ss", mul(n("x"), n("x"))))),
                real("norm", call(MathFn.SQRT, n("ss"))),
                real("inv", inverseNorm()),
                loop("i", n("K"), un, List.of(store("scratch", add(scratchAt(i(at)), n("i")),
                        mul(scratch(i(at), n("i")), n("inv"))))))));
    }

    /** @return {@code norm < 1e-12 ? 0 : 1 / norm} */
    public static Expr inverseNorm() {
        return new Expr.Cond(new Expr.Bin(BinOp.LT, n("norm"), r(1e-12)), r(0), div(r(1), n("norm")));
    }

    /**
     * The delta step: {@code e = S^T kn; e_j = beta (v_j - e_j)} (beta null: 1){@code ; S += kn e^T}.
     *
     * @param beta the step size, or null
     * @param kOff the normalised key's index in scratch
     * @param eOff the error vector's index in scratch
     * @param vOff the value's offset in {@code vArray}
     * @param vArray the value's array
     * @return the statements
     */
    public List<Stmt> deltaStep(Expr beta, Expr kOff, Expr eOff, Expr vOff, String vArray) {
        Expr diff = sub(load(vArray, add(vOff, n("j"))), load("scratch", add(eOff, n("j"))));
        return List.of(
                op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "scratch", kOff, "scratch", eOff, null)),
                loop("j", n("V"), unrollV(), List.of(store("scratch", add(eOff, n("j")), beta == null ? diff : mul(beta, diff)))),
                decayUpdate(null, load("scratch", add(kOff, n("i"))), "scratch", eOff));
    }
}

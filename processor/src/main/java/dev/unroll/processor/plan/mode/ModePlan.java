package dev.unroll.processor.plan.mode;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.op;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.Stmt;
import dev.unroll.runtime.attention.AttentionSpec;

/**
 * The kernel plan of one attention mode: what the layer planner cannot derive from the mode's
 * {@link dev.unroll.runtime.attention.definition.ModeDefinition} (its tensors, state shape and flags): the
 * head's scratch, the mode's constants, and the per-head recurrence of one token.
 */
public interface ModePlan {
    /** @return the mode */
    AttentionMode mode();

    /**
     * @param spec the layer
     * @return scratch values one head needs (heads may run in parallel)
     */
    default int scratchPerHead(AttentionSpec spec) {
        return 0;
    }

    /**
     * Declares the mode's constants (its fixed parameters, derived sizes).
     *
     * @param p the planner
     */
    default void constants(HeadPlanner p) {}

    /**
     * One token through one head: gates, state update, post-update readout into {@code out} at
     * {@code o}.
     *
     * @param p the planner
     */
    void headStep(HeadPlanner p);

    /**
     * The pre-update readout of one head into {@code concat} at {@code o}, with the token at
     * {@code x[xOff]}; by default the query rows are projected and {@code S^T q} is read out.
     *
     * @param p the planner
     */
    default void queryHead(HeadPlanner p) {
        p.emit(projectRows(p, "ROW_QUERY", "K"));
        p.emit(op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "proj", HeadPlanner.row("ROW_QUERY"), "concat", n("o"), null)));
    }

    /**
     * @param p the planner (for the projection's format)
     * @param rowConst a segment's first-row constant
     * @param rows the constant holding its row count
     * @return a projection of the token {@code x} onto that segment's rows, into {@code proj}
     */
    static Stmt projectRows(HeadPlanner p, String rowConst, String rows) {
        return op(new MacroOp.MatVec("wIn", n("P"), add(n("p"), n(rowConst)), n(rows), n("D"), "x", n("xOff"), "proj",
                add(n("p"), n(rowConst)), false, p.weights()));
    }
}

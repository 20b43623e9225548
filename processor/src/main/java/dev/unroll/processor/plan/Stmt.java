package dev.unroll.processor.plan;

import java.util.List;

/** Statements of the kernel IR. */
public sealed interface Stmt {
    /**
     * Declares a local.
     *
     * @param type type
     * @param name name
     * @param init initial value
     * @param mutable whether it is reassigned
     */
    record Declare(Type type, String name, Expr init, boolean mutable) implements Stmt {}

    /**
     * {@code name = value} or {@code name += value}.
     *
     * @param name local
     * @param value value
     * @param accumulate use +=
     */
    record Assign(String name, Expr value, boolean accumulate) implements Stmt {}

    /**
     * {@code array[index] = value} or {@code +=}.
     *
     * @param array array
     * @param index index
     * @param value value
     * @param accumulate use +=
     */
    record Store(String array, Expr index, Expr value, boolean accumulate) implements Stmt {}

    /**
     * A counted loop {@code for (int var = from; var < to; var++)} with a constant bound (a literal
     * or named constant; {@code tokens} is the one run-time bound allowed), or its full unrolling.
     *
     * @param var induction variable
     * @param from start (a constant when unrolled)
     * @param to bound
     * @param parallel whether iterations are independent (TornadoVM's {@code @Parallel})
     * @param unroll whether to emit the body once per iteration
     * @param body the body
     */
    record Loop(String var, Expr from, Expr to, boolean parallel, boolean unroll, List<Stmt> body) implements Stmt {}

    /**
     * {@code if (condition) {then} else {otherwise}}.
     *
     * @param condition c
     * @param then t
     * @param otherwise e (may be empty)
     */
    record If(Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}

    /**
     * Calls another kernel method of the same class.
     *
     * @param method name
     * @param args arguments
     */
    record Invoke(String method, List<Expr> args) implements Stmt {}

    /**
     * A comment line in the output.
     *
     * @param text text
     */
    record Comment(String text) implements Stmt {}

    /**
     * A vectorisable operation, lowered differently by each flavour.
     *
     * @param op the operation
     */
    record Op(MacroOp op) implements Stmt {}

    /**
     * A braced block, scoping its locals.
     *
     * @param body statements
     */
    record Block(List<Stmt> body) implements Stmt {}
}

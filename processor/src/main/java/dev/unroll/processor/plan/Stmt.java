package dev.unroll.processor.plan;

import java.util.List;

/** Statements of the kernel IR. */
public sealed interface Stmt {
    /**
     * @param v a visitor
     * @param <R> its result
     * @return what the visitor returns for this statement
     */
    <R> R accept(Visitor<R> v);

    /**
     * One method per kind of statement: a new kind does not compile until every consumer handles it.
     *
     * @param <R> the result
     */
    interface Visitor<R> {
        /**
         * @param x the statement
         * @return the result
         */
        R declare(Declare x);

        /**
         * @param x the statement
         * @return the result
         */
        R assign(Assign x);

        /**
         * @param x the statement
         * @return the result
         */
        R store(Store x);

        /**
         * @param x the statement
         * @return the result
         */
        R loop(Loop x);

        /**
         * @param x the statement
         * @return the result
         */
        R ifThen(If x);

        /**
         * @param x the statement
         * @return the result
         */
        R invoke(Invoke x);

        /**
         * @param x the statement
         * @return the result
         */
        R comment(Comment x);

        /**
         * @param x the statement
         * @return the result
         */
        R op(Op x);

        /**
         * @param x the statement
         * @return the result
         */
        R block(Block x);
    }

    /**
     * Declares a local.
     *
     * @param type type
     * @param name name
     * @param init initial value
     * @param mutable whether it is reassigned
     */
    record Declare(Type type, String name, Expr init, boolean mutable) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.declare(this);
        }
    }

    /**
     * {@code name = value} or {@code name += value}.
     *
     * @param name local
     * @param value value
     * @param accumulate use +=
     */
    record Assign(String name, Expr value, boolean accumulate) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.assign(this);
        }
    }

    /**
     * {@code array[index] = value} or {@code +=}.
     *
     * @param array array
     * @param index index
     * @param value value
     * @param accumulate use +=
     */
    record Store(String array, Expr index, Expr value, boolean accumulate) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.store(this);
        }
    }

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
    record Loop(String var, Expr from, Expr to, boolean parallel, boolean unroll, List<Stmt> body) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.loop(this);
        }
    }

    /**
     * {@code if (condition) {then} else {otherwise}}.
     *
     * @param condition c
     * @param then t
     * @param otherwise e (may be empty)
     */
    record If(Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.ifThen(this);
        }
    }

    /**
     * Calls another kernel method of the same class, or a helper.
     *
     * @param method what is called
     * @param args arguments
     */
    record Invoke(Callee method, List<Expr> args) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.invoke(this);
        }
    }

    /**
     * A comment line in the output.
     *
     * @param text text
     */
    record Comment(String text) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.comment(this);
        }
    }

    /**
     * A vectorisable operation, lowered differently by each flavour.
     *
     * @param op the operation
     */
    record Op(MacroOp op) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.op(this);
        }
    }

    /**
     * A braced block, scoping its locals.
     *
     * @param body statements
     */
    record Block(List<Stmt> body) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.block(this);
        }
    }
}

package dev.unroll.processor.plan;

import java.util.List;

/**
 * Expressions of the kernel IR: enough for gates, indices and element-wise maths, nothing more.
 * Consumers dispatch through {@link Visitor}, so a new kind of expression does not compile until
 * every lowering and check handles it.
 */
public sealed interface Expr {
    /**
     * @param v a visitor
     * @param <R> its result
     * @return what the visitor returns for this expression
     */
    <R> R accept(Visitor<R> v);

    /**
     * One method per kind of expression.
     *
     * @param <R> the result
     */
    interface Visitor<R> {
        /**
         * @param e the expression
         * @return the result
         */
        R intLit(IntLit e);

        /**
         * @param e the expression
         * @return the result
         */
        R longLit(LongLit e);

        /**
         * @param e the expression
         * @return the result
         */
        R realLit(RealLit e);

        /**
         * @param e the expression
         * @return the result
         */
        R name(Name e);

        /**
         * @param e the expression
         * @return the result
         */
        R load(Load e);

        /**
         * @param e the expression
         * @return the result
         */
        R bin(Bin e);

        /**
         * @param e the expression
         * @return the result
         */
        R neg(Neg e);

        /**
         * @param e the expression
         * @return the result
         */
        R call(Call e);

        /**
         * @param e the expression
         * @return the result
         */
        R cond(Cond e);
    }

    /**
     * An int literal.
     *
     * @param value value
     */
    record IntLit(long value) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.intLit(this);
        }
    }

    /**
     * A long literal (bit masks).
     *
     * @param value value
     */
    record LongLit(long value) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.longLit(this);
        }
    }

    /**
     * A real literal, rendered in the plan's precision.
     *
     * @param value value
     */
    record RealLit(double value) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.realLit(this);
        }
    }

    /**
     * A local, parameter, loop variable or named constant.
     *
     * @param name name
     */
    record Name(String name) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.name(this);
        }
    }

    /**
     * {@code array[index]}.
     *
     * @param array array name
     * @param index index
     */
    record Load(String array, Expr index) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.load(this);
        }
    }

    /**
     * A binary operation.
     *
     * @param op the operator
     * @param left left operand
     * @param right right operand
     */
    record Bin(BinOp op, Expr left, Expr right) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.bin(this);
        }
    }

    /**
     * {@code -operand}.
     *
     * @param operand operand
     */
    record Neg(Expr operand) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.neg(this);
        }
    }

    /**
     * A call of a maths function, a helper emitted into the kernel class, or another method of the plan.
     *
     * @param function what is called
     * @param args arguments
     */
    record Call(Callee function, List<Expr> args) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.call(this);
        }
    }

    /**
     * {@code condition ? whenTrue : whenFalse}.
     *
     * @param condition c
     * @param whenTrue a
     * @param whenFalse b
     */
    record Cond(Expr condition, Expr whenTrue, Expr whenFalse) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.cond(this);
        }
    }

    /**
     * @param v value
     * @return an int literal
     */
    static Expr i(long v) {
        return new IntLit(v);
    }

    /**
     * @param v value
     * @return a real literal
     */
    static Expr r(double v) {
        return new RealLit(v);
    }

    /**
     * @param n name
     * @return a name reference
     */
    static Expr n(String n) {
        return new Name(n);
    }

    /**
     * @param a array
     * @param index index
     * @return a load
     */
    static Expr load(String a, Expr index) {
        return new Load(a, index);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a + b}
     */
    static Expr add(Expr a, Expr b) {
        return new Bin(BinOp.ADD, a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a - b}
     */
    static Expr sub(Expr a, Expr b) {
        return new Bin(BinOp.SUB, a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a * b}
     */
    static Expr mul(Expr a, Expr b) {
        return new Bin(BinOp.MUL, a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a / b}
     */
    static Expr div(Expr a, Expr b) {
        return new Bin(BinOp.DIV, a, b);
    }

    /**
     * @param fn what is called
     * @param args arguments
     * @return the call
     */
    static Expr call(Callee fn, Expr... args) {
        return new Call(fn, List.of(args));
    }

    /**
     * @param op an operator
     * @param a left
     * @param b right
     * @return {@code a op b}
     */
    static Expr bin(BinOp op, Expr a, Expr b) {
        return new Bin(op, a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a < b}
     */
    static Expr lt(Expr a, Expr b) {
        return new Bin(BinOp.LT, a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a >= b}
     */
    static Expr ge(Expr a, Expr b) {
        return new Bin(BinOp.GE, a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return {@code a && b}
     */
    static Expr and(Expr a, Expr b) {
        return new Bin(BinOp.AND, a, b);
    }
}

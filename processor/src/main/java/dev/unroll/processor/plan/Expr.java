package dev.unroll.processor.plan;

import java.util.List;

/** Expressions of the kernel IR: enough for gates, indices and element-wise maths, nothing more. */
public sealed interface Expr {
    /**
     * An int literal.
     *
     * @param value value
     */
    record IntLit(long value) implements Expr {}

    /**
     * A long literal (bit masks).
     *
     * @param value value
     */
    record LongLit(long value) implements Expr {}

    /**
     * A real literal, rendered in the plan's precision.
     *
     * @param value value
     */
    record RealLit(double value) implements Expr {}

    /**
     * A local, parameter, loop variable or named constant.
     *
     * @param name name
     */
    record Name(String name) implements Expr {}

    /**
     * {@code array[index]}.
     *
     * @param array array name
     * @param index index
     */
    record Load(String array, Expr index) implements Expr {}

    /**
     * A binary operation.
     *
     * @param op one of {@code + - * / < > <= >= == != & | << >>>}
     * @param left left operand
     * @param right right operand
     */
    record Bin(String op, Expr left, Expr right) implements Expr {}

    /**
     * {@code -operand}.
     *
     * @param operand operand
     */
    record Neg(Expr operand) implements Expr {}

    /**
     * A call of a maths function ({@link MathFn}) or of a helper emitted into the kernel class.
     *
     * @param function function name: a {@link MathFn} name or a helper name
     * @param args arguments
     */
    record Call(String function, List<Expr> args) implements Expr {}

    /**
     * {@code condition ? whenTrue : whenFalse}.
     *
     * @param condition c
     * @param whenTrue a
     * @param whenFalse b
     */
    record Cond(Expr condition, Expr whenTrue, Expr whenFalse) implements Expr {}

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
     * @return a + b
     */
    static Expr add(Expr a, Expr b) {
        return new Bin("+", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return a - b
     */
    static Expr sub(Expr a, Expr b) {
        return new Bin("-", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return a * b
     */
    static Expr mul(Expr a, Expr b) {
        return new Bin("*", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return a / b
     */
    static Expr div(Expr a, Expr b) {
        return new Bin("/", a, b);
    }

    /**
     * @param fn function
     * @param args arguments
     * @return the call
     */
    static Expr call(String fn, Expr... args) {
        return new Call(fn, List.of(args));
    }

    /**
     * @param a left
     * @param b right
     * @return a < b
     */
    static Expr lt(Expr a, Expr b) {
        return new Bin("<", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return a >= b
     */
    static Expr ge(Expr a, Expr b) {
        return new Bin(">=", a, b);
    }

    /**
     * @param a left
     * @param b right
     * @return a && b
     */
    static Expr and(Expr a, Expr b) {
        return new Bin("&&", a, b);
    }
}

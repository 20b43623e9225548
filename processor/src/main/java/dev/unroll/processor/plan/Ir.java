package dev.unroll.processor.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Short constructors for IR statements, so that planners read like the maths they encode. */
public final class Ir {
    private Ir() {}

    /**
     * @param name local
     * @param init value
     * @return a final REAL local
     */
    public static Stmt real(String name, Expr init) {
        return new Stmt.Declare(Type.REAL, name, init, false);
    }

    /**
     * @param name local
     * @param init value
     * @return a mutable REAL local
     */
    public static Stmt realVar(String name, Expr init) {
        return new Stmt.Declare(Type.REAL, name, init, true);
    }

    /**
     * @param name local
     * @param init value
     * @return a final int local
     */
    public static Stmt integer(String name, Expr init) {
        return new Stmt.Declare(Type.INT, name, init, false);
    }

    /**
     * @param name local
     * @param init value
     * @return a final long local
     */
    public static Stmt along(String name, Expr init) {
        return new Stmt.Declare(Type.LONG, name, init, false);
    }

    /**
     * @param name local
     * @param init value
     * @return a mutable long local
     */
    public static Stmt alongVar(String name, Expr init) {
        return new Stmt.Declare(Type.LONG, name, init, true);
    }

    /**
     * @param name local
     * @param value value
     * @return name = value
     */
    public static Stmt set(String name, Expr value) {
        return new Stmt.Assign(name, value, false);
    }

    /**
     * @param name local
     * @param value value
     * @return name += value
     */
    public static Stmt addTo(String name, Expr value) {
        return new Stmt.Assign(name, value, true);
    }

    /**
     * @param array array
     * @param index index
     * @param value value
     * @return array[index] = value
     */
    public static Stmt store(String array, Expr index, Expr value) {
        return new Stmt.Store(array, index, value, false);
    }

    /**
     * @param array array
     * @param index index
     * @param value value
     * @return array[index] += value
     */
    public static Stmt storeAdd(String array, Expr index, Expr value) {
        return new Stmt.Store(array, index, value, true);
    }

    /**
     * @param var variable
     * @param to bound
     * @param body body
     * @return a counted loop
     */
    public static Stmt loop(String var, Expr to, Stmt... body) {
        return new Stmt.Loop(var, Expr.i(0), to, false, false, List.of(body));
    }

    /**
     * @param var variable
     * @param to bound
     * @param unroll unroll it
     * @param body body
     * @return a counted loop
     */
    public static Stmt loop(String var, Expr to, boolean unroll, List<Stmt> body) {
        return new Stmt.Loop(var, Expr.i(0), to, false, unroll, body);
    }

    /**
     * @param var variable
     * @param to bound
     * @param unroll unroll it
     * @param body body
     * @return a loop over independent items
     */
    public static Stmt parallel(String var, Expr to, boolean unroll, List<Stmt> body) {
        return new Stmt.Loop(var, Expr.i(0), to, true, unroll, body);
    }

    /**
     * @param var variable
     * @param from start
     * @param to bound
     * @param parallel independent iterations
     * @param body body
     * @return a counted loop over a range
     */
    public static Stmt range(String var, Expr from, Expr to, boolean parallel, Stmt... body) {
        return new Stmt.Loop(var, from, to, parallel, false, List.of(body));
    }

    /**
     * @param c condition
     * @param then body
     * @return an if without else
     */
    public static Stmt when(Expr c, Stmt... then) {
        return new Stmt.If(c, List.of(then), List.of());
    }

    /**
     * @param method another kernel method of the plan
     * @param args arguments
     * @return the call
     */
    public static Stmt invoke(String method, Expr... args) {
        return new Stmt.Invoke(new Callee.Method(method), List.of(args));
    }

    /**
     * @param helper a helper of the kernel class
     * @param args arguments
     * @return the call
     */
    public static Stmt invoke(Helper helper, Expr... args) {
        return new Stmt.Invoke(helper, List.of(args));
    }

    /**
     * @param text comment
     * @return a comment line
     */
    public static Stmt comment(String text) {
        return new Stmt.Comment(text);
    }

    /**
     * @param op a macro
     * @return it as a statement
     */
    public static Stmt op(MacroOp op) {
        return new Stmt.Op(op);
    }

    /**
     * @param body statements
     * @return a scoped block
     */
    public static Stmt block(List<Stmt> body) {
        return new Stmt.Block(body);
    }

    /** Collects statements, flattening nested lists. */
    public static final class Body {
        private final List<Stmt> stmts = new ArrayList<>();

        /**
         * @param s statements
         * @return this
         */
        public Body add(Stmt... s) {
            stmts.addAll(Arrays.asList(s));
            return this;
        }

        /**
         * @param s statements
         * @return this
         */
        public Body addAll(List<Stmt> s) {
            stmts.addAll(s);
            return this;
        }

        /** @return the statements */
        public List<Stmt> build() {
            return List.copyOf(stmts);
        }
    }
}

package dev.unroll.processor.check;

import dev.unroll.processor.plan.Callee;
import dev.unroll.processor.plan.Constant;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.IrWalker;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.Param;
import dev.unroll.processor.plan.Stmt;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check stage: runs on a kernel plan before anything is emitted and reports, as
 * {@code [Unroll/KernelCheck]} errors on the descriptor, what would make the emitted kernels fail to
 * compile or fall outside the subset TornadoVM compiles:
 * <ul>
 *   <li>a name that is not a parameter, a local declared before it, an enclosing loop's variable or a
 *       constant of the plan;
 *   <li>a call of a method the plan does not have, or a cycle of calls (TornadoVM inlines every callee);
 *   <li>a {@code parallel} loop in a device task that does not start at 0, that is not perfectly nested
 *       in another parallel loop, or a second parallel nest in one task (TornadoVM maps one nest per task
 *       to an ND-range);
 *   <li>an unrolled loop whose bounds are not constants;
 *   <li>a device-only operation in a method the JVM flavours emit;
 *   <li>a matrix product the GEMM engine cannot take: depth or strides not constant, compact
 *       activations, weight panels at an offset.
 * </ul>
 * The emitted Java has no {@code return}, {@code break}, {@code continue}, allocation or exception by
 * construction: the IR cannot express them.
 */
public final class PlanCheck {
    private final KernelPlan plan;
    private final Map<String, KernelMethod> methods = new LinkedHashMap<>();
    private final Set<String> constants = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    private PlanCheck(KernelPlan plan) {
        this.plan = plan;
        for (KernelMethod m : plan.methods()) {
            methods.put(m.name(), m);
        }
        for (Constant c : plan.constants()) {
            constants.add(c.name());
        }
    }

    /**
     * @param plan a kernel plan
     * @return one finding per broken rule, empty when the plan is sound
     */
    public static List<Violation> check(KernelPlan plan) {
        PlanCheck c = new PlanCheck(plan);
        for (KernelMethod m : plan.methods()) {
            c.method(m);
        }
        c.recursion();
        List<Violation> out = new ArrayList<>();
        for (String p : c.problems) {
            out.add(new Violation(Diagnostic.KERNEL_CHECK, "", Diagnostic.KERNEL_CHECK.format(p)));
        }
        return out;
    }

    /** @return the problems as plain lines, for tests of hand-made plans */
    static List<String> problems(KernelPlan plan) {
        List<String> lines = new ArrayList<>();
        for (Violation v : check(plan)) {
            lines.add(v.message().substring(v.message().indexOf(": ") + 2, v.message().lastIndexOf(" (please report")));
        }
        return lines;
    }

    private void problem(KernelMethod m, String what) {
        problems.add(plan.scalarClass() + "." + m.name() + ": " + what);
    }

    private void method(KernelMethod m) {
        Deque<Set<String>> scopes = new ArrayDeque<>();
        Set<String> params = new HashSet<>();
        for (Param p : m.params()) {
            params.add(p.name());
        }
        scopes.push(params);
        Deque<Stmt.Loop> loops = new ArrayDeque<>();
        int[] parallelNests = {0};
        new IrWalker() {
            @Override
            protected void enter(Stmt s) {
                if (s instanceof Stmt.Loop l) {
                    loop(m, l, loops, parallelNests);
                    loops.push(l);
                    Set<String> inner = new HashSet<>();
                    inner.add(l.var());
                    scopes.push(inner);
                } else if (s instanceof Stmt.Block || s instanceof Stmt.If) {
                    scopes.push(new HashSet<>());
                } else if (s instanceof Stmt.Assign a) {
                    resolve(m, a.name(), scopes);
                } else if (s instanceof Stmt.Store st) {
                    resolve(m, st.array(), scopes);
                } else if (s instanceof Stmt.Invoke inv && inv.method() instanceof Callee.Method target && !methods.containsKey(target.name())) {
                    problem(m, "calls " + target.name() + ", which the plan does not have");
                }
            }

            @Override
            protected void leave(Stmt s) {
                if (s instanceof Stmt.Loop) {
                    loops.pop();
                    scopes.pop();
                } else if (s instanceof Stmt.Block || s instanceof Stmt.If) {
                    scopes.pop();
                } else if (s instanceof Stmt.Declare d) {
                    // visible from the next statement on (its initialiser was checked without it)
                    scopes.peek().add(d.name());
                }
            }

            @Override
            protected void expr(Expr e) {
                if (e instanceof Expr.Name n) {
                    resolve(m, n.name(), scopes);
                } else if (e instanceof Expr.Load ld) {
                    resolve(m, ld.array(), scopes);
                } else if (e instanceof Expr.Call c && c.function() instanceof Callee.Method target && !methods.containsKey(target.name())) {
                    problem(m, "calls " + target.name() + ", which the plan does not have");
                }
            }

            @Override
            protected void op(MacroOp op) {
                if (op instanceof MacroOp.Dot d) {
                    if (!m.deviceOnly()) {
                        problem(m, "a device-only dot product in a method the JVM flavours emit");
                    }
                    scopes.peek().add(d.result());
                }
                if (op instanceof MacroOp.MatMul mm) {
                    matMul(m, mm, loops);
                }
                if (op instanceof MacroOp.MatVec mv) {
                    matVecPart(m, mv);
                }
                if (op instanceof MacroOp.RowUpdate ru) {
                    // the row variable it binds may appear in its operands
                    scopes.peek().add(ru.rowVar());
                }
                for (var c : op.getClass().getRecordComponents()) {
                    if (c.getType() == String.class && !c.getName().equals("result") && !c.getName().equals("rowVar")) {
                        resolve(m, (String) invoke(c, op), scopes);
                    }
                }
            }
        }.walk(m.body());
    }

    /**
     * The GEMM engine's contract: constant depth and strides (its tiles are per shape), weights of a
     * compact format in panels, and panels that start where their array does.
     */
    private void matMul(KernelMethod m, MacroOp.MatMul mm, Deque<Stmt.Loop> loops) {
        for (var e : List.of(Map.entry("depth", mm.depth()), Map.entry("lda", mm.lda()), Map.entry("ldb", mm.ldb()), Map.entry("ldc", mm.ldc()))) {
            if (!isConstant(e.getValue(), loops)) {
                problem(m, "a matrix product whose " + e.getKey() + " is not a constant");
            }
        }
        if (mm.format() != dev.unroll.annotations.WeightFormat.F32 && mm.layout() == MacroOp.Layout.ROWS) {
            problem(m, "a matrix product over " + mm.format() + " activations (compact formats hold weights only)");
        }
        if (mm.layout() != MacroOp.Layout.ROWS && !(mm.bOff() instanceof Expr.IntLit z && z.value() == 0)) {
            problem(m, "a matrix product over weights at an offset (weights start where their array does)");
        }
    }

    /** A part of a product (a thread's rows) has both bounds, covers a whole matrix and applies no activation. */
    private void matVecPart(KernelMethod m, MacroOp.MatVec mv) {
        if ((mv.partFrom() == null) != (mv.partTo() == null)) {
            problem(m, "a part of a matrix-vector product with one bound");
        } else if (mv.part() && (mv.tanh() || !(mv.rowStart() instanceof Expr.IntLit z && z.value() == 0) || !mv.rows().equals(mv.matrixRows()))) {
            problem(m, "a part of a matrix-vector product over a slice of its matrix or with tanh (parts split whole products)");
        }
    }

    private static Object invoke(java.lang.reflect.RecordComponent c, Object o) {
        try {
            return c.getAccessor().invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(c.getName(), e);
        }
    }

    private void resolve(KernelMethod m, String name, Deque<Set<String>> scopes) {
        if (name == null || constants.contains(name)) {
            return;
        }
        for (Set<String> s : scopes) {
            if (s.contains(name)) {
                return;
            }
        }
        problem(m, "uses " + name + ", which is not a parameter, an earlier local, a loop variable or a constant");
    }

    private void loop(KernelMethod m, Stmt.Loop l, Deque<Stmt.Loop> enclosing, int[] parallelNests) {
        if (l.unroll() && !(isConstant(l.from(), enclosing) && isConstant(l.to(), enclosing))) {
            problem(m, "unrolled loop " + l.var() + " has bounds that are not constants");
        }
        if (!l.parallel() || !m.task()) {
            return;
        }
        if (!(l.from() instanceof Expr.IntLit start && start.value() == 0)) {
            problem(m, "parallel loop " + l.var() + " does not start at 0");
        }
        Stmt.Loop parent = enclosing.peek();
        boolean nested = parent != null && parent.parallel();
        if (nested && parent.body().size() != 1) {
            problem(m, "parallel loop " + l.var() + " is not perfectly nested in parallel loop " + parent.var());
        }
        boolean insideParallel = enclosing.stream().anyMatch(Stmt.Loop::parallel);
        if (!insideParallel && ++parallelNests[0] == 2) {
            problem(m, "two parallel nests in one device task (TornadoVM maps one nest per task)");
        }
    }

    /** Literals, int constants, enclosing unrolled loop variables, and sums and products of them. */
    private boolean isConstant(Expr e, Deque<Stmt.Loop> enclosing) {
        if (e instanceof Expr.IntLit) {
            return true;
        }
        if (e instanceof Expr.Name n) {
            return constants.contains(n.name()) || enclosing.stream().anyMatch(l -> l.unroll() && l.var().equals(n.name()));
        }
        if (e instanceof Expr.Bin b) {
            return isConstant(b.left(), enclosing) && isConstant(b.right(), enclosing);
        }
        return false;
    }

    /** TornadoVM inlines every callee, so the call graph must be acyclic. */
    private void recursion() {
        Map<String, Set<String>> calls = new HashMap<>();
        for (KernelMethod m : plan.methods()) {
            Set<String> targets = new HashSet<>();
            new IrWalker() {
                @Override
                protected void enter(Stmt s) {
                    if (s instanceof Stmt.Invoke inv && inv.method() instanceof Callee.Method t) {
                        targets.add(t.name());
                    }
                }

                @Override
                protected void expr(Expr e) {
                    if (e instanceof Expr.Call c && c.function() instanceof Callee.Method t) {
                        targets.add(t.name());
                    }
                }
            }.walk(m.body());
            calls.put(m.name(), targets);
        }
        Set<String> done = new HashSet<>();
        for (KernelMethod m : plan.methods()) {
            if (reaches(m.name(), m.name(), calls, new HashSet<>())) {
                problem(m, "is recursive (TornadoVM inlines every callee)");
            }
            done.add(m.name());
        }
    }

    private static boolean reaches(String from, String target, Map<String, Set<String>> calls, Set<String> seen) {
        for (String next : calls.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(next, target, calls, seen)) {
                return true;
            }
        }
        return false;
    }
}

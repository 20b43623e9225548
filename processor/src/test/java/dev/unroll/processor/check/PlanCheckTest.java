package dev.unroll.processor.check;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.invoke;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.store;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.annotations.Precision;
import dev.unroll.processor.plan.Constant;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.Param;
import dev.unroll.processor.plan.Stmt;
import dev.unroll.processor.plan.Type;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The check stage catches each broken rule in a hand-made plan, and passes a sound one. */
class PlanCheckTest {
    private static final List<Param> PARAMS = List.of(new Param(Type.REAL_ARRAY, "a", "data"), new Param(Type.INT, "n", "count"));

    private static KernelPlan plan(KernelMethod... methods) {
        return new KernelPlan("p", "Bad", "@Test", "p.Bad", Precision.F32, List.of(Constant.ofInt("N", 4, "n")), Set.of(), List.of(methods),
                List.of(), 8);
    }

    private static KernelMethod method(String name, Stmt... body) {
        return new KernelMethod(name, "doc", PARAMS, List.of(body));
    }

    @Test
    void aSoundPlanHasNoFindings() {
        KernelMethod ok = method("ok",
                integer("k", n("N")),
                loop("i", n("N"), true, List.of(store("a", add(n("i"), n("k")), Expr.r(1)))),
                new Stmt.Loop("t", i(0), n("n"), true, false, List.of(new Stmt.Loop("r", i(0), n("N"), true, false,
                        List.of(store("a", n("r"), load("a", n("t")))))))).asTask();
        assertEquals(List.of(), PlanCheck.problems(plan(ok, method("caller", invoke("ok", n("a"), n("n"))))));
    }

    @Test
    void eachBrokenRuleIsReported() {
        KernelMethod names = method("names", store("b", i(0), n("later")), integer("later", i(1)));
        KernelMethod calls = method("calls", invoke("missing", n("a")), invoke("again", n("a")));
        KernelMethod again = method("again", invoke("calls", n("a")));
        KernelMethod unrolled = method("unrolled", loop("i", n("n"), true, List.of(store("a", n("i"), Expr.r(0)))));
        Stmt inner = new Stmt.Loop("c", i(0), n("N"), true, false, List.of(store("a", n("c"), Expr.r(0))));
        KernelMethod parallel = method("parallel",
                new Stmt.Loop("r", i(1), n("N"), true, false, List.of(store("a", n("r"), Expr.r(0)), inner)),
                new Stmt.Loop("s", i(0), n("N"), true, false, List.of(store("a", n("s"), Expr.r(0))))).asTask();
        KernelMethod device = method("device", op(new MacroOp.Dot("acc", "a", i(0), "a", i(0), n("N"))));
        assertEquals(List.of(
                "BadKernels.names: uses b, which is not a parameter, an earlier local, a loop variable or a constant",
                "BadKernels.names: uses later, which is not a parameter, an earlier local, a loop variable or a constant",
                "BadKernels.calls: calls missing, which the plan does not have",
                "BadKernels.unrolled: unrolled loop i has bounds that are not constants",
                "BadKernels.parallel: parallel loop r does not start at 0",
                "BadKernels.parallel: parallel loop c is not perfectly nested in parallel loop r",
                "BadKernels.parallel: two parallel nests in one device task (TornadoVM maps one nest per task)",
                "BadKernels.device: a device-only dot product in a method the JVM flavours emit",
                "BadKernels.calls: is recursive (TornadoVM inlines every callee)",
                "BadKernels.again: is recursive (TornadoVM inlines every callee)"),
                PlanCheck.problems(plan(names, calls, again, unrolled, parallel, device)));
    }
}

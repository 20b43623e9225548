package dev.unroll.processor.plan;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The helpers a plan's methods call, found by walking them (with the helpers those call). */
public final class HelperUse {
    private HelperUse() {}

    /**
     * @param methods a plan's methods
     * @return every helper they need
     */
    public static Set<Helper> of(List<KernelMethod> methods) {
        Set<Helper> used = EnumSet.noneOf(Helper.class);
        IrWalker w = new IrWalker() {
            @Override
            protected void enter(Stmt s) {
                if (s instanceof Stmt.Invoke inv && inv.method() instanceof Helper h) {
                    used.add(h);
                }
            }

            @Override
            protected void expr(Expr e) {
                if (e instanceof Expr.Call c && c.function() instanceof Helper h) {
                    used.add(h);
                }
            }

            @Override
            protected void op(MacroOp op) {
                // the lowerings call sigmoid per element
                if (op instanceof MacroOp.Sigmoid) {
                    used.add(Helper.SIGMOID);
                }
            }
        };
        for (KernelMethod m : methods) {
            w.walk(m.body());
        }
        for (Helper h : List.copyOf(used)) {
            used.addAll(h.requires());
        }
        return used;
    }
}

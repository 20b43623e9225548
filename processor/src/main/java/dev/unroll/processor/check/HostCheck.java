package dev.unroll.processor.check;

import dev.unroll.processor.host.HostClass;
import dev.unroll.processor.host.HostMethod;
import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.host.HostStep;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check stage for host plans, beside {@link PlanCheck}: reports as {@code [Unroll/KernelCheck]} what
 * would make the generated host classes fail to compile or call kernels the wrong way:
 * <ul>
 *   <li>a kernel call of a method the kernel plan does not have, or a device task called on the JVM,
 *       or with another number of arguments than the kernel takes;
 *   <li>a device task that is not one of the plan's tasks, or called with another number of arguments;
 *   <li>kernel calls or hook points in a glue, task-graph steps in a layer or model;
 *   <li>a parallel split whose lambda does not take the split's parameters.
 * </ul>
 */
public final class HostCheck {
    private final Map<String, KernelMethod> methods = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private HostCheck(KernelPlan plan) {
        for (KernelMethod m : plan.methods()) {
            methods.put(m.name(), m);
        }
    }

    /**
     * @param kernels the kernel plan the host plan calls into
     * @param host the host plan
     * @return one finding per broken rule, empty when the host plan is sound
     */
    public static List<Violation> check(KernelPlan kernels, HostPlan host) {
        HostCheck c = new HostCheck(kernels);
        c.check(host.jvm(), false);
        for (HostClass device : host.devices()) {
            c.check(device, true);
        }
        List<Violation> out = new ArrayList<>();
        for (String p : c.problems) {
            out.add(new Violation(Diagnostic.KERNEL_CHECK, "", Diagnostic.KERNEL_CHECK.format(p)));
        }
        return out;
    }

    private void check(HostClass c, boolean glue) {
        List<HostMethod> all = new ArrayList<>(c.methods());
        if (c.registration() instanceof HostClass.Glue g) {
            all.addAll(g.opens());
        }
        for (HostMethod m : all) {
            steps(c.name().simpleName() + "." + (m.constructor() ? "<init>" : m.name()), m.body(), glue);
        }
    }

    private void steps(String where, List<HostStep> steps, boolean glue) {
        for (HostStep s : steps) {
            if (s instanceof HostStep.Kernel k) {
                kernel(where, k, glue);
            } else if (s instanceof HostStep.Parallel p) {
                if (p.names().size() != p.split().params().size()) {
                    problems.add(where + ": a " + p.split() + " split hands " + p.split().params().size() + " parameters, its lambda takes " + p.names());
                }
                kernel(where, p.call(), glue);
            } else if (s instanceof HostStep.Task t) {
                KernelMethod m = methods.get(t.kernel());
                if (!glue) {
                    problems.add(where + ": the device task " + t.kernel() + " added to a task graph outside the TornadoVM glue");
                } else if (m == null || !m.task()) {
                    problems.add(where + ": " + t.kernel() + " is not a device task of the kernel plan");
                } else if (m.params().size() != t.args().size()) {
                    problems.add(where + ": task " + t.kernel() + " takes " + m.params().size() + " arguments, given " + t.args().size());
                }
            } else if ((s instanceof HostStep.Transfer || s instanceof HostStep.Persist) && !glue) {
                problems.add(where + ": a task-graph transfer outside the TornadoVM glue");
            } else if (s instanceof HostStep.Hook && glue) {
                problems.add(where + ": a hook point in the TornadoVM glue (the device does not expose the stream between kernels)");
            } else if (s instanceof HostStep.Loop l) {
                steps(where, l.body(), glue);
            } else if (s instanceof HostStep.ForEach f) {
                steps(where, f.body(), glue);
            } else if (s instanceof HostStep.Using u) {
                steps(where, u.body(), glue);
            } else if (s instanceof HostStep.Try t) {
                steps(where, t.body(), glue);
                steps(where, t.handler(), glue);
            } else if (s instanceof HostStep.If i) {
                steps(where, i.then(), glue);
                steps(where, i.otherwise(), glue);
            }
        }
    }

    private void kernel(String where, HostStep.Kernel k, boolean glue) {
        KernelMethod m = methods.get(k.kernel());
        if (glue) {
            problems.add(where + ": a JVM kernel call (" + k.kernel() + ") in the TornadoVM glue");
        } else if (m == null) {
            problems.add(where + ": calls " + k.kernel() + ", which the kernel plan does not have");
        } else if (m.deviceOnly()) {
            problems.add(where + ": calls the device task " + k.kernel() + " on the JVM");
        } else if (m.params().size() != k.args().size()) {
            problems.add(where + ": " + k.kernel() + " takes " + m.params().size() + " arguments, given " + k.args().size());
        }
    }
}

package dev.unroll.processor.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.host.HostClass;
import dev.unroll.processor.host.HostMethod;
import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.host.HostStep;
import dev.unroll.processor.host.Steps;
import dev.unroll.processor.host.Tornado;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.processor.plan.Param;
import dev.unroll.processor.plan.Type;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;

/** Each host-plan rule, planted once, is one {@code [Unroll/KernelCheck]} naming the method and the call. */
class HostCheckTest {
    private static final KernelPlan KERNELS = new KernelPlan("p", "M", "d", "p.M", Precision.F32, List.of(), Set.of(),
            List.of(new KernelMethod("scale", "d", List.of(new Param(Type.REAL_ARRAY, "x", "x"), new Param(Type.INT, "n", "n")), List.of()),
                    new KernelMethod("scaleTask", "d", List.of(new Param(Type.REAL_ARRAY, "x", "x")), List.of()).asDeviceTask()),
            List.of(), 8);

    private static HostClass model(HostStep... steps) {
        ClassName c = ClassName.get("p", "MModel");
        return new HostClass(c, null, List.of(), CodeBlock.of(""), CodeBlock.of(""), List.of(),
                List.of(HostMethod.method("run", TypeName.VOID, Modifier.PUBLIC).steps(steps).build()),
                new HostClass.Kernels(c, c, c, c, "p.M", "p.M", WeightFormat.F32));
    }

    private static HostClass glue(HostStep... steps) {
        ClassName c = ClassName.get("p", "MTornado");
        return new HostClass(c, null, List.of(), CodeBlock.of(""), CodeBlock.of(""), List.of(),
                List.of(HostMethod.method("build", TypeName.VOID, Modifier.PUBLIC).steps(steps).build()),
                new HostClass.Glue(c, ClassName.get("p", "MModel"), HostMethod.method("open", c).build()));
    }

    private static List<String> problems(HostClass jvm, HostClass device) {
        return HostCheck.check(KERNELS, HostPlan.of(jvm, device, false)).stream().map(Violation::message).toList();
    }

    @Test
    void soundHostPlansPass() {
        assertEquals(List.of(), problems(model(Steps.kernel("scale", "x", "n")), glue(Tornado.task("g", Tornado.id("s"), "scaleTask", "x"))));
    }

    @Test
    void everyPlantedMistakeIsOneFinding() {
        assertEquals(List.of("[Unroll/KernelCheck] the kernels planned for this descriptor break a rule of the kernel subset: "
                + "MModel.run: scale takes 2 arguments, given 1 (please report this descriptor)"), problems(model(Steps.kernel("scale", "x")), null));
        assertEquals(1, problems(model(Steps.kernel("missing")), null).size());
        assertEquals(1, problems(model(Steps.kernel("scaleTask", "x")), null).size(), "a device task on the JVM");
        assertEquals(1, problems(model(Tornado.task("g", Tornado.id("s"), "scaleTask", "x")), null).size(), "a task outside the glue");
        assertEquals(1, problems(model(), glue(Steps.kernel("scale", "x", "n"))).size(), "a JVM kernel in the glue");
        assertEquals(1, problems(model(), glue(Steps.hook("EMBED", "-1", "1", "pos", "x"))).size(), "a hook in the glue");
        assertEquals(1, problems(model(), glue(Tornado.task("g", Tornado.id("s"), "scale", "x", "n"))).size(), "not a device task");
        assertEquals(1, problems(model(Steps.parallel(HostStep.Split.ROWS, Steps.args("n", 64), List.of("r0"), Steps.kernel("scale", "x", "n"))), null)
                .size(), "a split's lambda parameters");
    }
}

package dev.unroll.processor.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.family.Families;
import dev.unroll.processor.family.Family;
import dev.unroll.processor.host.HostClass;
import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.plan.FamilyPlan;
import dev.unroll.processor.read.MemberValues;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The stage gates on families built as values: a stage runs only when the ones before it found no
 * error, and a failure of a stage's own code is one {@code [Unroll/InternalError]} finding on the
 * descriptor, with the stack trace only under {@code -Aunroll.debug=true}.
 */
class PipelineTest {
    private static final DescriptorSource SOURCE = new DescriptorSource("p.Model", "p", "Model", "Fake");
    private static final Environment ENV = new Environment(false, false, false);
    private static final MemberValues VALUES = new MemberValues(Map.of("width", 8), Set.of("width"));

    /** A family whose stages record that they ran, with the given rules and planner. */
    private static Family<String, String, FamilyPlan> family(List<String> ran, List<Violation> findings, Family.Planner<String, FamilyPlan> planner) {
        return new Family<>("p.Fake", List.of(),
                (values, companions) -> {
                    ran.add("read");
                    return "raw";
                },
                (raw, explicit) -> {
                    ran.add("validate");
                    return findings;
                },
                (raw, source) -> {
                    ran.add("describe");
                    return "descriptor";
                },
                planner,
                plan -> {
                    ran.add("host");
                    ClassName model = ClassName.get("p", "ModelLayer");
                    return new HostPlan(new HostClass(model, null, List.of(), CodeBlock.of(""), CodeBlock.of(""), List.of(), List.of(),
                            new HostClass.Kernels(model, model, model, model, "p.Model", "p.Model", WeightFormat.F32)), List.of(), false);
                });
    }

    @Test
    void aValidationErrorStopsBeforeTheDescriptorIsMade() {
        List<String> ran = new ArrayList<>();
        Violation error = new Violation(Diagnostic.NON_POSITIVE, "width", Diagnostic.NON_POSITIVE.format("width", 0));
        Pipeline.Outcome out = Pipeline.run(family(ran, List.of(error), d -> {
            throw new AssertionError("planned after an error");
        }), VALUES, Map.of(), SOURCE, ENV, new Options(true, false));
        assertEquals(List.of("read", "validate"), ran);
        assertEquals(List.of(error), out.report().findings());
        assertNull(out.emitted());
    }

    @Test
    void aWarningDoesNotStopTheStages() {
        List<String> ran = new ArrayList<>();
        Violation warning = new Violation(Diagnostic.PARAMETER_IGNORED, "gamma", Diagnostic.PARAMETER_IGNORED.format("gamma", 0.5, "unused"));
        Pipeline.Outcome out = Pipeline.run(family(ran, List.of(warning), d -> {
            ran.add("plan");
            return () -> new dev.unroll.processor.plan.KernelPlan("p", "Model", "d", "p.Model", dev.unroll.annotations.Precision.F32, List.of(),
                    Set.of(), List.of(), List.of(), 8);
        }), VALUES, Map.of(), SOURCE, ENV, new Options(true, false));
        assertEquals(List.of("read", "validate", "describe", "plan", "host"), ran);
        assertEquals(List.of(warning), out.report().findings());
        assertEquals(List.of("ModelKernels", "ModelLayer"), out.emitted().files().stream().map(f -> f.typeSpec().name()).toList(),
                "the same sources for every family: kernels, then the host class");
    }

    @Test
    void anInternalFailureIsOneFindingOnTheDescriptorNotAnException() {
        List<String> ran = new ArrayList<>();
        Family<String, String, FamilyPlan> broken = family(ran, List.of(), d -> {
            throw new IllegalStateException("a planner defect");
        });
        Pipeline.Outcome plain = Pipeline.run(broken, VALUES, Map.of(), SOURCE, ENV, new Options(true, false));
        assertEquals(1, plain.report().findings().size());
        Violation v = plain.report().findings().get(0);
        assertEquals(Diagnostic.INTERNAL_ERROR, v.diagnostic());
        assertEquals("", v.member(), "on the annotation");
        assertTrue(v.message().startsWith("[Unroll/InternalError] could not generate kernels for p.Model: java.lang.IllegalStateException: a planner defect"),
                v.message());
        assertTrue(v.message().contains("-Aunroll.debug=true") && !v.message().contains("\tat "), v.message());
        Violation debug = Pipeline.run(broken, VALUES, Map.of(), SOURCE, ENV, new Options(true, true)).report().findings().get(0);
        assertTrue(debug.message().contains("stack trace:") && debug.message().contains("\tat " + PipelineTest.class.getName()), debug.message());
    }

    @Test
    void everyFamilyAnswersToItsOwnAnnotation() {
        assertEquals(List.of("dev.unroll.annotations.LinearAttention", "dev.unroll.annotations.TinyRecursiveModel", "dev.unroll.annotations.Transformer"),
                Families.all().stream().map(Family::annotation).toList());
        assertEquals(List.of("dev.unroll.annotations.RecurrentPass"), Families.TRANSFORMER.companions());
    }
}

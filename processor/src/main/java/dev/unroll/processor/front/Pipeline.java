package dev.unroll.processor.front;

import dev.unroll.processor.check.HostCheck;
import dev.unroll.processor.check.PlanCheck;
import dev.unroll.processor.emit.Emitted;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.emit.Sources;
import dev.unroll.processor.family.Family;
import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.plan.FamilyPlan;
import dev.unroll.processor.read.MemberValues;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The stage gates of one descriptor: read, validate, describe, plan, check, emit. Each stage runs
 * only when the ones before it found no error; every finding lands in the {@link Report}. A failure
 * of Unroll's own is one {@code [Unroll/InternalError]} finding, never an exception into javac.
 */
public final class Pipeline {
    private Pipeline() {}

    /**
     * What a run produced.
     *
     * @param report every finding
     * @param emitted the sources, or null when a stage stopped the run
     */
    public record Outcome(Report report, Emitted emitted) {}

    /**
     * @param family the family
     * @param values the annotation's members
     * @param companions the companion annotations on the same type, by qualified name
     * @param source where the descriptor was declared
     * @param env what its compilation can see
     * @param options the processor's options
     * @param <R> raw values
     * @param <D> descriptor
     * @param <P> plan
     * @return the findings and, when no stage stopped, the sources
     */
    public static <R, D, P extends FamilyPlan> Outcome run(Family<R, D, P> family, MemberValues values, Map<String, MemberValues> companions,
            DescriptorSource source, Environment env, Options options) {
        Report report = new Report();
        try {
            R raw = family.reader().read(values, companions);
            Set<String> explicit = new LinkedHashSet<>(values.explicit());
            companions.values().forEach(c -> explicit.addAll(c.explicit()));
            if (report.addAll(family.rules().check(raw, explicit)).hasErrors()) {
                return new Outcome(report, null);
            }
            D descriptor = family.describer().describe(raw, source);
            P plan = family.planner().plan(descriptor);
            HostPlan host = family.host().plan(plan);
            if (report.addAll(PlanCheck.check(plan.kernels())).addAll(HostCheck.check(plan.kernels(), host)).hasErrors()) {
                return new Outcome(report, null);
            }
            return new Outcome(report, Sources.emit(plan.kernels(), host, env));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return new Outcome(report.add(Report.internalError(source.qualifiedName(), e, options.debug())), null);
        }
    }
}

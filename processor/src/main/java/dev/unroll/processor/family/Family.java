package dev.unroll.processor.family;

import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.plan.FamilyPlan;
import dev.unroll.processor.read.MemberValues;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model family as a value: the annotation it answers to, its companion annotations, and one
 * function per stage up to the host plan; writing the sources is the same for every family
 * ({@link dev.unroll.processor.emit.Sources}). The front end ({@link dev.unroll.processor.front.Pipeline}) runs the stages in
 * order and stops at the first with errors; a family sees only plain values (no {@code javax.lang.model}).
 *
 * @param annotation the annotation's qualified name
 * @param companions annotations that complete it on the same type (one without the family's annotation is an error)
 * @param reader annotation values to raw values
 * @param rules raw values to findings, in rule order
 * @param describer valid raw values to the pure descriptor
 * @param planner descriptor to kernel plan
 * @param host kernel plan to host plan (the generated class and glue around the kernels)
 * @param <R> the raw values
 * @param <D> the descriptor
 * @param <P> the plan
 */
public record Family<R, D, P extends FamilyPlan>(
        String annotation,
        List<String> companions,
        Reader<R> reader,
        Rules<R> rules,
        Describer<R, D> describer,
        Planner<D, P> planner,
        HostPlanner<P> host) {

    /**
     * Reads the annotation and its companions.
     *
     * @param <R> the raw values
     */
    @FunctionalInterface
    public interface Reader<R> {
        /**
         * @param values the annotation's members
         * @param companions the companions present on the same type, by qualified name
         * @return the raw values
         */
        R read(MemberValues values, Map<String, MemberValues> companions);
    }

    /**
     * Validates raw values.
     *
     * @param <R> the raw values
     */
    @FunctionalInterface
    public interface Rules<R> {
        /**
         * @param raw raw values
         * @param explicit the members written explicitly (on the annotation and its companions)
         * @return findings in rule order
         */
        List<Violation> check(R raw, Set<String> explicit);
    }

    /**
     * Makes the descriptor of valid raw values.
     *
     * @param <R> the raw values
     * @param <D> the descriptor
     */
    @FunctionalInterface
    public interface Describer<R, D> {
        /**
         * @param raw values that passed validation
         * @param source where the descriptor was declared
         * @return the descriptor
         */
        D describe(R raw, DescriptorSource source);
    }

    /**
     * Plans a descriptor's kernels and host code.
     *
     * @param <D> the descriptor
     * @param <P> the plan
     */
    @FunctionalInterface
    public interface Planner<D, P> {
        /**
         * @param descriptor a descriptor
         * @return its plan
         */
        P plan(D descriptor);
    }

    /**
     * Plans the host side of a kernel plan.
     *
     * @param <P> the plan
     */
    @FunctionalInterface
    public interface HostPlanner<P> {
        /**
         * @param plan a kernel plan
         * @return its host plan
         */
        HostPlan plan(P plan);
    }
}

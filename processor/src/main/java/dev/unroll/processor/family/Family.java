package dev.unroll.processor.family;

import dev.unroll.processor.emit.Emitted;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.plan.FamilyPlan;
import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * One model family, as one class per stage: read the annotation, validate, describe (a pure
 * descriptor record), plan, emit. The processor runs the stages in order, checks the plan
 * ({@link dev.unroll.processor.check.PlanCheck}) between planning and emission, and stops at the first
 * stage with errors.
 *
 * @param <R> the raw values read from the annotation
 * @param <D> the validated descriptor
 * @param <P> the plan
 */
public interface Family<R, D, P extends FamilyPlan> {
    /** @return the annotation's qualified name */
    String annotation();

    /**
     * @return annotations that complete this one on the same type (read by {@link #read}); one
     *     without the family's annotation is an error
     */
    default List<String> companions() {
        return List.of();
    }

    /**
     * @param values the annotation's values
     * @param type the annotated type (for companion annotations)
     * @param elements element utilities
     * @return the raw values
     */
    R read(AnnotationValues values, TypeElement type, Elements elements);

    /**
     * @param raw raw values
     * @param values the annotation's values (explicit members)
     * @return findings in rule order
     */
    List<Violation> validate(R raw, AnnotationValues values);

    /**
     * @param raw values that passed validation
     * @param source where the descriptor was declared
     * @return the descriptor
     */
    D describe(R raw, DescriptorSource source);

    /**
     * @param descriptor a descriptor
     * @return its plan
     */
    P plan(D descriptor);

    /**
     * @param plan a plan
     * @param env the compilation's view
     * @return the sources
     */
    Emitted emit(P plan, Environment env);
}

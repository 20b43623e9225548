package dev.unroll.processor.front;

import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * Prints a {@link Report} through the Messager: each finding on the annotation member it names, looked
 * up on the family's annotation and then on its companions (a {@code @RecurrentPass} member), else on
 * the annotation itself.
 */
public final class Reporter {
    private final Messager messager;

    /** @param messager javac's */
    public Reporter(Messager messager) {
        this.messager = messager;
    }

    /**
     * @param e the annotated type
     * @param main the family annotation's values
     * @param companions the companion annotations' values
     * @param report the findings
     */
    public void print(Element e, AnnotationValues main, List<AnnotationValues> companions, Report report) {
        for (Violation v : report.findings()) {
            print(e, main, companions, v);
        }
    }

    /**
     * @param e the annotated type
     * @param main the family annotation's values (null: the finding goes on the type)
     * @param companions the companion annotations' values
     * @param v one finding
     */
    public void print(Element e, AnnotationValues main, List<AnnotationValues> companions, Violation v) {
        Kind kind = v.isError() ? Kind.ERROR : Kind.WARNING;
        if (main == null) {
            messager.printMessage(kind, v.message(), e);
            return;
        }
        AnnotationValues on = main;
        AnnotationValue anchor = v.member().isEmpty() ? null : main.anchor(v.member());
        if (anchor == null && !v.member().isEmpty()) {
            for (AnnotationValues c : companions) {
                if (c.anchor(v.member()) != null) {
                    on = c;
                    anchor = c.anchor(v.member());
                    break;
                }
            }
        }
        if (anchor != null) {
            messager.printMessage(kind, v.message(), e, on.mirror(), anchor);
        } else {
            messager.printMessage(kind, v.message(), e, on.mirror());
        }
    }
}

package dev.unroll.processor.front;

import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The findings of one descriptor's run through the stages, as values: the catalogue's violations (each
 * anchored on an annotation member, or on the annotation when it names none), in the order the stages
 * found them. The front end prints them; tests read them.
 */
public final class Report {
    private final List<Violation> findings = new ArrayList<>();

    /**
     * @param more findings of a stage
     * @return this
     */
    public Report addAll(List<Violation> more) {
        findings.addAll(more);
        return this;
    }

    /**
     * @param finding a finding
     * @return this
     */
    public Report add(Violation finding) {
        findings.add(finding);
        return this;
    }

    /** @return whether any finding is an error (a stage with one stops the run) */
    public boolean hasErrors() {
        return findings.stream().anyMatch(Violation::isError);
    }

    /** @return the findings, in the order found */
    public List<Violation> findings() {
        return List.copyOf(findings);
    }

    /**
     * The finding for a failure of Unroll's own: one error on the descriptor, never an exception into javac.
     *
     * @param descriptor the descriptor's name
     * @param failure what went wrong
     * @param stackTrace whether to include the stack trace ({@code -Aunroll.debug=true})
     * @return the finding, on the annotation
     */
    public static Violation internalError(String descriptor, Throwable failure, boolean stackTrace) {
        String detail;
        if (stackTrace) {
            StringWriter w = new StringWriter();
            failure.printStackTrace(new PrintWriter(w));
            detail = "; stack trace:\n" + w;
        } else {
            detail = "; compile with -A" + Options.DEBUG + "=true for the stack trace";
        }
        return new Violation(Diagnostic.INTERNAL_ERROR, "", Diagnostic.INTERNAL_ERROR.format(descriptor, failure, detail));
    }
}

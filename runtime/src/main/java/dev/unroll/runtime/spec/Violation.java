package dev.unroll.runtime.spec;

/**
 * One finding about a descriptor, anchored on the member at fault so that the processor can
 * point at the annotation value.
 *
 * @param diagnostic the catalogue entry
 * @param member the annotation member at fault ({@code ""} for the annotation as a whole)
 * @param message the rendered message, with its {@code [Unroll/Id]} prefix
 */
public record Violation(Diagnostic diagnostic, String member, String message) {
    /**
     * @param diagnostic the rule
     * @param member the annotation member at fault
     * @param message the formatted message
     */
    public Violation {
        dev.unroll.runtime.internal.Checks.notNull("Violation: diagnostic", diagnostic);
        dev.unroll.runtime.internal.Checks.notNull("Violation: member", member);
        dev.unroll.runtime.internal.Checks.notNull("Violation: message", message);
    }

    /** @return whether this finding makes the descriptor invalid */
    public boolean isError() {
        return diagnostic.severity() == Severity.ERROR;
    }

    @Override
    public String toString() {
        return message;
    }
}

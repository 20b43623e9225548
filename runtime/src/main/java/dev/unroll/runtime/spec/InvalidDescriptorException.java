package dev.unroll.runtime.spec;

import dev.unroll.runtime.UnrollException;
import java.util.List;
import java.util.stream.Collectors;

/** A descriptor built at run time that breaks the rules the processor enforces at compile time. */
public final class InvalidDescriptorException extends UnrollException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /** @param violations every error found, in rule order */
    public InvalidDescriptorException(List<Violation> violations) {
        super(dev.unroll.runtime.internal.Checks.noNulls("InvalidDescriptorException: violations", violations).stream().map(Violation::message)
                .collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    /** @return the errors */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * Throws when any violation is an error.
     *
     * @param violations findings
     */
    public static void throwIfErrors(List<Violation> violations) {
        dev.unroll.runtime.internal.Checks.noNulls("InvalidDescriptorException.throwIfErrors: violations", violations);
        List<Violation> errors = violations.stream().filter(Violation::isError).collect(Collectors.toList());
        if (!errors.isEmpty()) {
            throw new InvalidDescriptorException(errors);
        }
    }
}

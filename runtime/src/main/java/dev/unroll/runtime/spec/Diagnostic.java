package dev.unroll.runtime.spec;

import java.util.Locale;

/**
 * The message catalogue: every finding Unroll reports about a descriptor, with a stable ID.
 * Messages render as {@code [Unroll/<Id>] <text>}; the IDs never change meaning, so builds and
 * docs may refer to them. Each text names the member, the bad value and the rule.
 */
public enum Diagnostic {
    /** A dimension or count below 1. */
    NON_POSITIVE("NonPositive", Severity.ERROR, "%s (%s) must be >= 1"),
    /** A derived per-head width that does not divide evenly. */
    HEADS_NOT_DIVISOR("HeadsNotDivisor", Severity.ERROR, "%s (%s) must be divisible by %s (%s)%s"),
    /** A parameter outside its range. */
    OUT_OF_RANGE("OutOfRange", Severity.ERROR, "%s (%s) must be in %s%s"),
    /** NaN or infinite parameter. */
    NOT_FINITE("NotFinite", Severity.ERROR, "%s (%s) must be finite"),
    /** Seed 0 for the xorshift64 stream. */
    SEED_ZERO("SeedZero", Severity.ERROR,
            "seed (0) must not be 0: the xorshift64 generator of seeded weights would stay at 0 forever"),
    /** Log-linear attention wrapping itself. */
    NESTED_LOG_LINEAR("NestedLogLinear", Severity.ERROR,
            "inner (LOG_LINEAR) must not be LOG_LINEAR: log-linear attention wraps one non-log-linear mode"),
    /** A member set explicitly that the chosen mode or variant never reads. */
    PARAMETER_NOT_USED("ParameterNotUsed", Severity.ERROR, "%s is set to %s but %s does not use it%s"),
    /** A member whose value is accepted but has no effect on the computation. */
    PARAMETER_IGNORED("ParameterIgnored", Severity.WARNING, "%s (%s) has no effect: %s"),
    /** A first layer after the last one. */
    LOOP_START_AFTER_END("LoopStartAfterEnd", Severity.ERROR, "loopStart (%s) must be <= loopEnd (%s)"),
    /** A last layer past the model. */
    LOOP_END_OUT_OF_RANGE("LoopEndOutOfRange", Severity.ERROR, "loopEnd (%s) must be < layers (%s)"),
    /** A recurrence depth below 1. */
    DEPTH_TOO_SMALL("DepthTooSmall", Severity.ERROR, "depth (%s) must be >= 1"),
    /** An odd per-head width where RoPE needs pairs. */
    ODD_HEAD_WIDTH("OddHeadWidth", Severity.ERROR, "head width %s (%s) must be even: RoPE rotates pairs of channels"),
    /** A required member neither written nor read from a configuration file. */
    MISSING_MEMBER("MissingMember", Severity.ERROR, "%s is required: write it, or name a Hugging Face config.json with config"),
    /** A configuration file named by the descriptor that the compilation cannot see. */
    CONFIG_NOT_FOUND("ConfigNotFound", Severity.ERROR,
            "config \"%s\" was not found on the source path or the class path (%s); with Maven put it under src/main/resources"),
    /** A configuration file that cannot be read as a model this family computes. */
    CONFIG_UNSUPPORTED("ConfigUnsupported", Severity.ERROR, "%s"),
    /** A member written beside a configuration file that says otherwise. */
    CONFIG_CONFLICT("ConfigConflict", Severity.ERROR,
            "%s = %s contradicts %s (%s = %s): the shape comes from the file; remove the member (only maxSeq, weights and @RecurrentPass go beside config)"),
    /** A {@code @RecurrentPass} without the family annotation it modifies. */
    MISSING_COMPANION("MissingCompanion", Severity.ERROR, "@%s needs @%s on the same type"),
    /** Compact weights asked of a kernel that computes in another precision. */
    COMPACT_NEEDS_F32("CompactNeedsF32", Severity.ERROR,
            "weights (%s) needs precision F32 (is %s): compact weights widen to 32-bit floats in registers"),
    /** A sequence or table too large for the generated kernel. */
    TOO_LARGE("TooLarge", Severity.ERROR, "%s (%s) must be <= %s: %s"),
    /** Two family annotations on one type. */
    CONFLICTING_ANNOTATIONS("ConflictingAnnotations", Severity.ERROR,
            "@%s and @%s on one type: a descriptor describes one model; put each on its own type"),
    /** An annotated element the processor cannot generate code for. */
    BAD_TARGET("BadTarget", Severity.ERROR, "%s"),
    /** A generated name that clashes with an existing type. */
    NAME_CLASH("NameClash", Severity.ERROR, "generated class %s already exists"),
    /**
     * A planned kernel outside the subset the emitters and TornadoVM accept (unresolved names,
     * recursion, a misplaced parallel loop): found before any code is written.
     */
    KERNEL_CHECK("KernelCheck", Severity.ERROR,
            "the kernels planned for this descriptor break a rule of the kernel subset: %s (please report this descriptor)"),
    /**
     * A failure of the processor itself (a defect of Unroll, not of the descriptor): reported as one error on
     * the descriptor instead of crashing javac; {@code -Aunroll.debug=true} adds the stack trace.
     */
    INTERNAL_ERROR("InternalError", Severity.ERROR, "could not generate kernels for %s: %s (please report this with the descriptor%s)"),
    /** Unroll's output of an earlier build is among this compilation's sources and no longer matches the descriptor. */
    STALE_OUTPUT("StaleOutput", Severity.ERROR,
            "%s, generated by an earlier build, is being compiled as a source and differs from what the descriptor generates now: "
                    + "delete it (%s) and build again");

    private final String id;
    private final Severity severity;
    private final String template;

    Diagnostic(String id, Severity severity, String template) {
        this.id = id;
        this.severity = severity;
        this.template = template;
    }

    /** @return the stable ID, e.g. {@code HeadsNotDivisor} */
    public String id() {
        return id;
    }

    /** @return error or warning */
    public Severity severity() {
        return severity;
    }

    /**
     * Renders the message with its ID prefix.
     *
     * @param args the template's arguments
     * @return {@code [Unroll/<Id>] text}
     */
    public String format(Object... args) {
        int expected = arguments();
        if (args == null || args.length != expected) {
            throw new dev.unroll.runtime.UnrollException("diagnostic " + id + " takes " + expected + " arguments, got "
                    + (args == null ? "null" : args.length));
        }
        try {
            return "[Unroll/" + id + "] " + String.format(Locale.ROOT, template, args);
        } catch (java.util.IllegalFormatException e) {
            throw new dev.unroll.runtime.UnrollException("diagnostic " + id + ": its arguments do not fit its template \"" + template + "\": " + e);
        }
    }

    /** @return how many arguments the template takes: its conversions, {@code %%} and {@code %n} aside */
    private int arguments() {
        int n = 0;
        for (int i = 0; i < template.length() - 1; i++) {
            if (template.charAt(i) == '%') {
                char c = template.charAt(i + 1);
                if (c != '%' && c != 'n') {
                    n++;
                }
                i++;
            }
        }
        return n;
    }
}

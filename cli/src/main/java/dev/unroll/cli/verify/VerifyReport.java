package dev.unroll.cli.verify;

import dev.unroll.runtime.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of verifying one file.
 *
 * @param file the file
 * @param subject what ran: the generated kernel (with flavour) or the generic engine
 * @param comparisons one per expected tensor (or per call of one)
 * @param notes lines printed after the comparisons (the worst of several calls, say)
 */
public record VerifyReport(String file, String subject, List<Comparison> comparisons, List<String> notes) {
    /**
     * @param file the file
     * @param subject what ran
     * @param comparisons the comparisons
     * @param notes extra lines
     */
    public VerifyReport {
        Checks.notNull("VerifyReport: file", file);
        Checks.notNull("VerifyReport: subject", subject);
        comparisons = List.copyOf(Checks.noNulls("VerifyReport: comparisons", comparisons));
        notes = List.copyOf(Checks.noNulls("VerifyReport: notes", notes));
    }

    /**
     * @param file the file
     * @param subject what ran
     * @param comparisons the comparisons
     */
    public VerifyReport(String file, String subject, List<Comparison> comparisons) {
        this(file, subject, comparisons, List.of());
    }

    /** @return whether every comparison passed (and there was at least one) */
    public boolean pass() {
        return !comparisons.isEmpty() && comparisons.stream().allMatch(Comparison::pass);
    }

    /** @return report lines */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(file + ": " + subject);
        for (Comparison c : comparisons) {
            out.add(c.line());
        }
        for (String n : notes) {
            out.add("  " + n);
        }
        out.add("  " + (pass() ? "PASS" : "FAIL") + " (" + comparisons.stream().filter(Comparison::pass).count() + "/" + comparisons.size() + " tensors)");
        return out;
    }
}

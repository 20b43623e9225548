package dev.unroll.cli.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of verifying one file.
 *
 * @param file the file
 * @param subject what ran: the generated kernel (with flavour) or the generic engine
 * @param comparisons one per expected tensor
 */
public record VerifyReport(String file, String subject, List<Comparison> comparisons) {
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
        out.add("  " + (pass() ? "PASS" : "FAIL") + " (" + comparisons.stream().filter(Comparison::pass).count() + "/" + comparisons.size() + " tensors)");
        return out;
    }
}

package dev.unroll.cli.verify;

/** Runs one family's golden files. */
public interface Verifier {
    /** @return the family name in golden metadata */
    String family();

    /**
     * @param golden the file
     * @param progress where to report progress (may ignore)
     * @return the comparisons
     */
    VerifyReport verify(GoldenFile golden, Progress progress);
}

package dev.unroll.cli;

/** Exit codes of the {@code unroll} launcher. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A check failed (verify: some tensor out of tolerance). */
    public static final int CHECK_FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Bad input: a missing, malformed or inconsistent file or descriptor. */
    public static final int BAD_INPUT = 3;
    /** An unexpected internal failure. */
    public static final int INTERNAL = 4;
    /** The JVM ran out of heap: the work did not fit in {@code -Xmx} (the message says how to raise it). */
    public static final int OUT_OF_MEMORY = 5;

    private ExitCodes() {}
}

package dev.unroll.runtime;

import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import java.util.Locale;

/**
 * Unroll's size arithmetic and limits, shared by the processor (descriptors beyond them are compile
 * errors) and the runtime (files and calls beyond them are {@link UnrollException}s before anything
 * is allocated). Every derived size is computed exactly ({@link #product}); nothing wraps.
 *
 * <p>The memory budget of loaders and caches is {@code -D}{@value #BUDGET_PROPERTY}{@code =<bytes>}
 * (suffixes k, m, g allowed), by default the JVM's maximum heap less a reserve for the rest of the
 * program: a quarter of the heap, at most {@value #RESERVE_MIB} MiB ({@link #defaultBudget()}). An
 * allocation the size of the whole heap would pass a check against the heap and then run out, since
 * the program already holds part of it; a fixed fraction, on the other hand, kept a quarter of a
 * large heap (over a gigabyte for a 1B-parameter model) idle. What a model keeps for its life is
 * checked against what is left of that budget beside what the program already holds
 * ({@link #checkResident}).
 */
public final class Limits {
    /** The longest Java array (HotSpot refuses a few elements below {@code Integer.MAX_VALUE}). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Widths: model width, hidden size, per-head key and value widths, vocabulary rows. */
    public static final int MAX_WIDTH = 1 << 16;
    /** Heads of one layer. */
    public static final int MAX_HEADS = 4096;
    /** Layers of a model. */
    public static final int MAX_LAYERS = 4096;
    /** Vocabulary size. */
    public static final int MAX_VOCAB = 1 << 22;
    /** Positions of a transformer's KV cache. */
    public static final int MAX_POSITIONS = 1 << 20;
    /** Passes of a recurrent block. */
    public static final int MAX_DEPTH = 64;
    /** TRM network calls per supervision step: cycles x (latentSteps + 1). */
    public static final int MAX_RECURSION_CALLS = 1 << 16;
    /** TRM supervision steps. */
    public static final int MAX_SUPERVISION_STEPS = 1024;
    /** DeltaProduct's Householder steps per token. */
    public static final int MAX_COMPOSITIONS = 64;
    /** TRM's expansion factor of its SwiGLU widths. */
    public static final double MAX_EXPANSION = 64;
    /**
     * The most heap {@link #defaultBudget()} keeps for the rest of the program, in MiB: a run's
     * activations, logits, a tokenizer's working objects and the young generation's headroom. A
     * model's KV caches are not in it: they are part of its stated need.
     */
    public static final int RESERVE_MIB = 48;

    /** The system property of the memory budget. */
    public static final String BUDGET_PROPERTY = "unroll.maxBytes";

    private Limits() {}

    /**
     * @param what the size, for the message (e.g. {@code "KV cache of layer 3"})
     * @param factors its factors
     * @return their product
     * @throws UnrollException naming {@code what} when it overflows a long
     */
    public static long product(String what, long... factors) {
        if (factors == null) {
            throw new UnrollException(what + ": no factors (null)");
        }
        long p = 1;
        try {
            for (long f : factors) {
                p = Math.multiplyExact(p, f);
            }
        } catch (ArithmeticException e) {
            throw new UnrollException(what + ": " + describe(factors) + " overflows a 64-bit size");
        }
        return p;
    }

    /**
     * @param what the array, for the message
     * @param factors the dimensions of its elements
     * @return the element count, as an array length
     * @throws UnrollException when it is negative or longer than a Java array can be
     */
    public static int arrayLength(String what, long... factors) {
        long n = product(what, factors);
        if (n < 0 || n > MAX_ARRAY) {
            throw new UnrollException(what + ": " + describe(factors) + " = " + n + " values, more than one Java array holds (" + MAX_ARRAY + ")");
        }
        return (int) n;
    }

    /** @return the memory budget in bytes: {@code -Dunroll.maxBytes}, by default {@link #defaultBudget()} */
    public static long memoryBudget() {
        String v = System.getProperty(BUDGET_PROPERTY);
        if (v == null || v.isBlank()) {
            return defaultBudget();
        }
        return parseBytes(v.trim());
    }

    /**
     * @return the JVM's maximum heap less a quarter of it, or less {@value #RESERVE_MIB} MiB when that
     *     leaves more: the reserve holds what the program allocates around the checked arrays
     *     (activations, logits, a tokenizer's working objects, the collector's headroom)
     */
    public static long defaultBudget() {
        long heap = Runtime.getRuntime().maxMemory();
        return Math.max(heap / 4 * 3, heap - ((long) RESERVE_MIB << 20));
    }

    /**
     * @param what what would be allocated, for the message
     * @param bytes its size
     * @throws UnrollException when it exceeds {@link #memoryBudget()}
     */
    public static void checkBudget(String what, long bytes) {
        long budget = memoryBudget();
        if (bytes > budget) {
            throw new UnrollException(what + " needs " + human(bytes) + ", more than the memory budget of " + human(budget)
                    + (budgetSet() ? " (-D" + BUDGET_PROPERTY + ")" : " (the JVM's maximum heap of " + human(Runtime.getRuntime().maxMemory())
                            + " less " + human(Runtime.getRuntime().maxMemory() - budget) + " kept for the rest of the program: raise -Xmx, or set -D"
                            + BUDGET_PROPERTY + "=<bytes>)"));
        }
    }

    /**
     * Checks what an object keeps for its life (a model's weights and the caches of one sequence)
     * against what is left of the default budget beside what the program holds already (a tokenizer,
     * a file's metadata, other models): a check against the budget alone would pass a model that fits
     * an empty heap and then run out in this one. What is in use counts garbage until a collection,
     * so a need that does not fit, but would fit an empty heap, is checked again after one
     * ({@link System#gc()}) before it is refused. With {@code -D}{@value #BUDGET_PROPERTY} the need is checked against that budget alone,
     * as {@link #checkBudget} does.
     *
     * @param what what would be kept, for the message
     * @param bytes its size
     * @throws UnrollException when it exceeds the budget less the heap in use
     */
    public static void checkResident(String what, long bytes) {
        if (budgetSet()) {
            checkBudget(what, bytes);
            return;
        }
        long budget = defaultBudget();
        long used = heapInUse();
        if (bytes > budget - used && bytes <= budget) {
            System.gc(); // a need beyond the whole budget is refused without one
            used = heapInUse();
        }
        if (bytes > budget - used) {
            long heap = Runtime.getRuntime().maxMemory();
            throw new UnrollException(what + " needs " + human(bytes) + ", more than the memory budget of " + human(Math.max(0, budget - used))
                    + " left (the JVM's maximum heap of " + human(heap) + " less " + human(used) + " in use and " + human(heap - budget)
                    + " kept for the rest of the program: raise -Xmx, or set -D" + BUDGET_PROPERTY + "=<bytes>)");
        }
    }

    private static long heapInUse() {
        Runtime rt = Runtime.getRuntime();
        return Math.max(0, rt.totalMemory() - rt.freeMemory());
    }

    private static boolean budgetSet() {
        String v = System.getProperty(BUDGET_PROPERTY);
        return v != null && !v.isBlank();
    }

    /**
     * A rule for descriptors: {@code value <= limit}, or a {@code [Unroll/TooLarge]} finding.
     *
     * @param out findings
     * @param member the member at fault
     * @param what the quantity, e.g. {@code layers} or {@code heads * keyWidth * valueWidth}
     * @param value its value
     * @param limit the limit
     * @param why the reason for the limit
     * @return whether the value is within the limit
     */
    public static boolean atMost(List<Violation> out, String member, String what, long value, long limit, String why) {
        if (value > limit) {
            out.add(new Violation(Diagnostic.TOO_LARGE, member, Diagnostic.TOO_LARGE.format(what, value, limit, why)));
            return false;
        }
        return true;
    }

    /**
     * @param bytes a size
     * @return it in KiB/MiB/GiB
     */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static long parseBytes(String v) {
        long scale = 1;
        char last = Character.toLowerCase(v.charAt(v.length() - 1));
        String digits = v;
        if (last == 'k' || last == 'm' || last == 'g') {
            scale = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            digits = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(digits);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, scale);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UnrollException("-D" + BUDGET_PROPERTY + "=" + v + ": expected a positive byte count such as 4g or 512m");
        }
    }

    private static String describe(long... factors) {
        StringBuilder sb = new StringBuilder();
        for (long f : factors) {
            sb.append(sb.length() == 0 ? "" : " x ").append(f);
        }
        return sb.toString();
    }
}

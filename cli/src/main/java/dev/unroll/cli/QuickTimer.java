package dev.unroll.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * The quick timing of {@code unroll bench} and {@code unroll demo}: warm-up windows until two in a row agree within
 * {@link #SETTLED} (the JIT has compiled the kernels; at most {@link #MAX_WARMUP_WINDOWS}), then
 * {@link #WINDOWS} timed windows whose median is the figure and whose lowest and highest give its
 * spread. A figure from a window that never settled, a spread over {@link #TRUSTED_SPREAD}, or a
 * machine busier than its cores ({@code /proc/loadavg}) is reported as such, and the ratio of two
 * such figures is withheld instead of printed: a quick run on a shared machine once showed the
 * generated kernels at 0.0–0.4x the generic engine, the opposite of the JMH figures.
 */
public final class QuickTimer {
    /** Two warm-up windows within 10 % of each other: the rate has stopped climbing. */
    public static final double SETTLED = 0.10;
    /** Warm-up windows at most. */
    public static final int MAX_WARMUP_WINDOWS = 10;
    /** Timed windows. */
    public static final int WINDOWS = 5;
    /** The widest spread (highest over lowest window, less 1) of a figure a ratio may be built from. */
    public static final double TRUSTED_SPREAD = 0.25;
    /**
     * The smallest share of a window the timing thread must have run on its core: below it another
     * process took the core, whatever the load average says. Measured directly, so a load average that
     * still counts a build finished a minute ago does not withhold a figure measured on a free core.
     */
    public static final double TRUSTED_CPU_SHARE = 0.9;

    /**
     * A measured rate.
     *
     * @param median the median window's operations per second
     * @param low the slowest window's
     * @param high the fastest window's
     * @param settled whether the warm-up settled before the timing
     * @param cpuShare the smallest share of a timed window's wall time the timing thread ran on a core
     *     (its thread CPU time over the window's time; NaN where the JVM does not measure thread CPU time):
     *     under {@link #TRUSTED_CPU_SHARE}, other work took the core and the figure measures the contention
     */
    public record Rate(double median, double low, double high, boolean settled, double cpuShare) {
        /** @return (high − low) / median */
        public double spread() {
            return median > 0 ? (high - low) / median : Double.POSITIVE_INFINITY;
        }

        /** @return why this figure cannot carry a ratio, or null when it can */
        public String doubt() {
            if (!settled) {
                return "its warm-up never settled (two windows within " + Math.round(SETTLED * 100) + " %)";
            }
            if (spread() > TRUSTED_SPREAD) {
                return String.format(Locale.ROOT, "its windows spread %.0f %% (more than %.0f %%)", 100 * spread(), 100 * TRUSTED_SPREAD);
            }
            if (cpuShare < TRUSTED_CPU_SHARE) {
                return String.format(Locale.ROOT, "its thread ran only %.0f %% of a window's time (other work took the core)", 100 * cpuShare);
            }
            return null;
        }

        /** @return whether the thread's share of its core was measured */
        public boolean cpuMeasured() {
            return !Double.isNaN(cpuShare);
        }
    }

    private final double seconds;
    private final double warmup;
    private final PrintWriter err;

    /**
     * @param seconds timed seconds per engine, cut into {@link #WINDOWS} windows
     * @param warmup seconds per warm-up window
     * @param err where progress goes
     */
    public QuickTimer(double seconds, double warmup, PrintWriter err) {
        dev.unroll.runtime.internal.Checks.notNull("QuickTimer: err", err);
        if (!(seconds > 0 && seconds <= 3600 && warmup > 0 && warmup <= 3600)) {
            throw new dev.unroll.runtime.UnrollException("QuickTimer: seconds (" + seconds + ") and warmup (" + warmup + ") must be in (0, 3600]");
        }
        this.seconds = seconds;
        this.warmup = warmup;
        this.err = err;
    }

    /**
     * @param what the engine, for progress
     * @param work runs about n operations and returns how many it ran
     * @return the rate after warm-up
     */
    public Rate rate(String what, LongUnaryOperator work) {
        dev.unroll.runtime.internal.Checks.notNull("QuickTimer.rate: what", what);
        dev.unroll.runtime.internal.Checks.notNull("QuickTimer.rate: work", work);
        err.printf(Locale.ROOT, "%s: warming up in windows of %.2f s until two agree, then timing %d windows of %.2f s...%n", what, warmup, WINDOWS,
                seconds / WINDOWS);
        double previous = window(work, warmup);
        boolean settled = false;
        for (int w = 1; w < MAX_WARMUP_WINDOWS && !settled; w++) {
            double r = window(work, warmup);
            settled = Math.abs(r - previous) <= SETTLED * Math.max(r, previous);
            previous = r;
        }
        double[] rates = new double[WINDOWS];
        double share = Double.POSITIVE_INFINITY;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        for (int w = 0; w < WINDOWS; w++) {
            long cpu0 = cpu ? threads.getCurrentThreadCpuTime() : 0;
            long wall0 = System.nanoTime();
            rates[w] = window(work, seconds / WINDOWS);
            if (cpu) {
                share = Math.min(share, (threads.getCurrentThreadCpuTime() - cpu0) / (double) Math.max(1, System.nanoTime() - wall0));
            }
        }
        return of(rates, settled, cpu ? share : Double.NaN);
    }

    /**
     * @param rates the timed windows' rates
     * @param settled whether the warm-up settled
     * @param cpuShare the thread's smallest share of a window (NaN: not measured)
     * @return their median, lowest and highest
     */
    static Rate of(double[] rates, boolean settled, double cpuShare) {
        double[] r = rates.clone();
        Arrays.sort(r);
        return new Rate(r[r.length / 2], r[0], r[r.length - 1], settled, cpuShare);
    }

    /**
     * Why the ratio of two figures is not to be trusted, or null: a figure's own doubt, else the load
     * warning when the figures could not tell whether their thread had its core.
     *
     * @param generated one figure
     * @param generic the other
     * @param loadWarning the machine's load warning, or null
     * @return the reason, or null
     */
    public static String ratioDoubt(Rate generated, Rate generic, String loadWarning) {
        dev.unroll.runtime.internal.Checks.notNull("QuickTimer.ratioDoubt: generated", generated);
        dev.unroll.runtime.internal.Checks.notNull("QuickTimer.ratioDoubt: generic", generic);
        if (generated.doubt() != null) {
            return "the generated kernel's figure: " + generated.doubt();
        }
        if (generic.doubt() != null) {
            return "the generic engine's figure: " + generic.doubt();
        }
        return generated.cpuMeasured() && generic.cpuMeasured() ? null : loadWarning;
    }

    /** Operations per second of one window: growing batches until the window's time is up. */
    private static double window(LongUnaryOperator work, double seconds) {
        long batch = 1;
        long done = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (seconds * 1e9);
        long now;
        while ((now = System.nanoTime()) < deadline) {
            long ran = work.applyAsLong(batch);
            if (ran < 0) {
                throw new dev.unroll.runtime.UnrollException("QuickTimer.rate: the work reported " + ran + " operations for a batch of " + batch
                        + " (must be >= 0)");
            }
            done += ran;
            if (System.nanoTime() - now < 20_000_000L) {
                batch *= 2;
            }
        }
        return done / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * @param load the one-minute load average, or NaN when unknown
     * @param cores the processors
     * @return a warning when the machine is busier than its cores, else null
     */
    public static String loadWarning(double load, int cores) {
        if (!(load > cores)) {
            return null;
        }
        return String.format(Locale.ROOT, "load average %.2f on %d cores: other work shares these cores, so these figures are unreliable", load, cores);
    }

    /** @return the one-minute load average, or NaN where {@code /proc/loadavg} cannot be read */
    public static double loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return Double.parseDouble(f[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The report of two engines: each figure with its spread, the ratio only when both can carry it.
     *
     * @param out where it goes
     * @param unit the operations' unit
     * @param generated the generated kernel's rate
     * @param generic the generic engine's rate
     * @param loadWarning a warning about the machine's load, or null
     */
    static void report(PrintWriter out, String unit, Rate generated, Rate generic, String loadWarning) {
        line(out, "generated", unit, generated);
        line(out, "generic", unit, generic);
        String doubt = ratioDoubt(generated, generic, loadWarning);
        if (doubt != null) {
            out.println("  speedup   not reported: " + doubt + "; rerun on a quiet machine, with more --seconds, or use the JMH benchmarks");
        } else {
            out.printf(Locale.ROOT, "  speedup   %14.1fx (windows: %.1fx to %.1fx)%n", generated.median() / generic.median(),
                    generated.low() / generic.high(), generated.high() / generic.low());
        }
    }

    private static void line(PrintWriter out, String engine, String unit, Rate r) {
        out.printf(Locale.ROOT, "  %-9s %,14.0f %s (windows %,.0f to %,.0f%s)%n", engine, r.median(), unit, r.low(), r.high(),
                r.settled() ? "" : "; warm-up never settled");
    }
}

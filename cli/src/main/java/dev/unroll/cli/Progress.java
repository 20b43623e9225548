package dev.unroll.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for work that takes seconds ({@code run trm}'s supervision steps):
 * redrawn in place with a carriage return at most ten times a second, and erased when the work ends.
 * Drawn only when the JVM has a console: in a pipe or a log it would leave a line per redraw, so there
 * it prints nothing (the command's own output says what happened).
 */
final class Progress implements AutoCloseable {
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String what;
    private final int total;
    private final boolean live;
    private final long start = System.nanoTime();
    private long drawn = Long.MIN_VALUE;
    private int width;

    Progress(PrintWriter err, String what, int total, boolean live) {
        this.err = err;
        this.what = what;
        this.total = Math.max(1, total);
        this.live = live;
    }

    /** @return a bar drawn when this JVM has a console */
    static Progress onConsole(PrintWriter err, String what, int total) {
        return new Progress(err, what, total, System.console() != null);
    }

    /** @param done units finished so far (at most the total the bar was made with) */
    void update(int done) {
        long now = System.nanoTime();
        if (!live || (now - drawn < REDRAW_NANOS && done < total)) {
            return;
        }
        drawn = now;
        String line = line(done, (now - start) / 1e9);
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = line.length();
    }

    /** The bar: {@code run trm [#########...............] 6/16 steps, 4.2 s}. */
    String line(int done, double seconds) {
        int d = Math.max(0, Math.min(done, total));
        int filled = (int) ((long) d * BAR / total);
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d, %.1f s", what, "#".repeat(filled), ".".repeat(BAR - filled), d, total, seconds);
    }

    /** Erases the bar. */
    @Override
    public void close() {
        if (live && width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
        }
    }
}

package dev.unroll.cli.verify;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A progress line on stderr, shown only when stderr is a terminal (rewritten in place with \r). */
public final class Progress {
    private static final Progress SILENT = new Progress(null);

    private final PrintStream out;
    private long lastNanos;

    private Progress(PrintStream out) {
        this.out = out;
    }

    /** @return a progress reporter on stderr if it is a terminal, else a silent one */
    public static Progress stderr() {
        return stderrIsTerminal() ? new Progress(System.err) : SILENT;
    }

    /** @return a reporter that prints nothing */
    public static Progress silent() {
        return SILENT;
    }

    static boolean stderrIsTerminal() {
        try {
            Path fd = Path.of("/proc/self/fd/2");
            if (Files.exists(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // not Linux: fall back below
        }
        return System.console() != null;
    }

    /**
     * @param what the current step
     * @param done items done
     * @param total items in all
     */
    public void update(String what, long done, long total) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastNanos < 100_000_000L) {
            return;
        }
        lastNanos = now;
        out.print("\r" + what + " " + done + "/" + total + "   ");
        if (done >= total) {
            out.print("\r" + " ".repeat(what.length() + 24) + "\r");
        }
        out.flush();
    }
}

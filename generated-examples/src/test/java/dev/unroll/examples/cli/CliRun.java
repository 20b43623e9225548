package dev.unroll.examples.cli;

import dev.unroll.cli.Unroll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the launcher in this JVM, as the command line would, and keeps what it printed. */
final class CliRun {
    /**
     * How a command line ended.
     *
     * @param code the exit code
     * @param out what went to stdout
     * @param err what went to stderr
     */
    record Result(int code, String out, String err) {}

    private CliRun() {}

    /**
     * @param args the command line
     * @return its exit code and output
     */
    static Result unroll(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

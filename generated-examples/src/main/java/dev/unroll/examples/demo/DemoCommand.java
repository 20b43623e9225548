package dev.unroll.examples.demo;

import dev.unroll.runtime.cli.CliCommand;
import dev.unroll.runtime.cli.ExitCodes;
import dev.unroll.runtime.cli.UsageException;
import java.io.PrintStream;
import java.util.List;

/** {@code unroll demo}: runs every generated example on embedded data and reports checks and speed. */
public final class DemoCommand implements CliCommand {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the generated examples: what was generated, what was checked, how fast it ran";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: unroll demo [--quick]",
                "",
                "For every generated kernel of the examples module: prints the generated classes and the",
                "flavour that runs, checks the kernel against the generic engine on a synthetic stream",
                "(x_t[i] = sin(0.37 t + 0.11 i), seeded weights), and times both. When ../shared/golden is",
                "present it also verifies the reference golden files.",
                "",
                "options:",
                "  --quick   shorter timing runs",
                "",
                "exit codes: 0 every check passes, 1 some check fails");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        boolean quick = args.remove("--quick");
        if (!args.isEmpty()) {
            throw new UsageException("unexpected argument " + args.get(0));
        }
        boolean ok = new AttentionDemo(out, err, quick).run();
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}

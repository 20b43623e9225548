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
                "usage: unroll demo [--quick] [--only attention|trm|transformer]",
                "",
                "Linear attention: every generated layer against the generic engine on a synthetic stream",
                "(x_t[i] = sin(0.37 t + 0.11 i), seeded weights), timed; the reference golden files (in the",
                "repository). TRM: the generated Sudoku model against the generic engine, the golden first",
                "network call (when the shared TRM references are at hand), ACT on an embedded puzzle, puzzles/s.",
                "Transformer: stories260K greedy (in the repository), with and without a recurrent pass, tokens/s.",
                "Under TornadoVM (UNROLL_TORNADOVM=1 ./unroll demo, examples built with -Ptornadovm) each family",
                "also runs on the device, checked against the JVM; every part says which backend ran it.",
                "",
                "options:",
                "  --quick           shorter timing runs",
                "  --only FAMILY     run one family's part",
                "",
                "exit codes: 0 every check passes, 1 some check fails");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        boolean quick = args.remove("--quick");
        String only = null;
        int i = args.indexOf("--only");
        if (i >= 0) {
            if (i + 1 >= args.size()) {
                throw new UsageException("--only needs a family: attention, trm or transformer");
            }
            only = args.remove(i + 1);
            args.remove(i);
            if (!List.of("attention", "trm", "transformer").contains(only)) {
                throw new UsageException("--only " + only + ": expected attention, trm or transformer");
            }
        }
        if (!args.isEmpty()) {
            throw new UsageException("unexpected argument " + args.get(0));
        }
        boolean ok = true;
        if (only == null || only.equals("attention")) {
            ok &= new AttentionDemo(out, err, quick).run();
        }
        if (only == null || only.equals("trm")) {
            ok &= new TrmDemo(out, quick).run();
        }
        if (only == null || only.equals("transformer")) {
            ok &= new StoriesDemo(out).run();
        }
        out.println();
        out.println(ok ? "demo: every check PASSED" : "demo: some check FAILED");
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}

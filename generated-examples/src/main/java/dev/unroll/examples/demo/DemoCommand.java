package dev.unroll.examples.demo;

import dev.unroll.cli.ExitCodes;
import dev.unroll.cli.UnrollCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unroll demo}: runs every generated example on embedded data and reports checks and speed. */
@Command(name = "demo", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Runs the generated examples: what was generated, what was checked, how fast it ran.",
        description = {"Linear attention: every generated layer against the generic engine on a synthetic stream "
                + "(x_t[i] = sin(0.37 t + 0.11 i), seeded weights), timed; the reference golden files (in the repository).",
                "TRM: the generated Sudoku model against the generic engine, the golden first "
                + "network call (when the shared TRM references are at hand), ACT on an embedded puzzle, puzzles/s.",
                "Transformer: stories260K greedy (in the repository), with and without a recurrent pass, tokens/s.", "",
                "Under TornadoVM (UNROLL_TORNADOVM=1 ./unroll demo, examples built with -Ptornadovm) each family "
                + "also runs on the device, checked against the JVM; every part says which backend ran it."},
        footer = {"", "exit codes: 0 every check passes, 1 some check fails"})
public final class DemoCommand implements UnrollCommand {
    /** The families the demo has a part for. */
    enum Family {
        /** Linear attention. */
        ATTENTION,
        /** The Tiny Recursive Model. */
        TRM,
        /** The transformer and its recurrent pass. */
        TRANSFORMER
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "shorter timing runs")
    boolean quick;

    @Option(names = "--only", paramLabel = "FAMILY", description = "run one family's part: attention, trm or transformer")
    Family only;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        if (only == null || only == Family.ATTENTION) {
            ok &= new AttentionDemo(out, spec.commandLine().getErr(), quick).run();
        }
        if (only == null || only == Family.TRM) {
            ok &= new TrmDemo(out, quick).run();
        }
        if (only == null || only == Family.TRANSFORMER) {
            ok &= new StoriesDemo(out).run();
        }
        out.println();
        out.println(ok ? "demo: every check PASSED" : "demo: some check FAILED");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}

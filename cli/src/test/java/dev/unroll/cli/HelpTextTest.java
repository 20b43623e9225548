package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.registry.Family;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.PositionalParamSpec;
import org.junit.jupiter.api.Test;

/**
 * The help of every command and sub-command of {@link Unroll#commandLine()}, found by walking it
 * (a new command is checked in the same change): lines within {@link Unroll#HELP_WIDTH} columns,
 * "usage:" in lower case, one-sentence headers shown whole in the parent's command list, the same
 * headings everywhere, and texts picocli can format. Also the completion candidates of KERNEL.
 */
class HelpTextTest {
    private record Run(int code, String out, String err) {}

    private static Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command line under (and including) c, depth first. */
    static List<CommandLine> walk(CommandLine c) {
        List<CommandLine> all = new ArrayList<>();
        all.add(c);
        for (CommandLine sub : c.getSubcommands().values()) {
            all.addAll(walk(sub));
        }
        return all;
    }

    /** The words after {@code unroll} that reach a command: {@code [run, attention]}. */
    private static List<String> words(CommandLine c) {
        List<String> w = new ArrayList<>(Arrays.asList(c.getCommandSpec().qualifiedName(" ").split(" ")));
        return w.subList(1, w.size());
    }

    /**
     * @return the command's --help, checked to exit 0 with nothing on stderr; picocli's own
     *     warnings (a help text it cannot format) go to System.err, caught here too
     */
    private static String help(CommandLine c) {
        List<String> args = new ArrayList<>(words(c));
        args.add("--help");
        PrintStream saved = System.err;
        ByteArrayOutputStream picocli = new ByteArrayOutputStream();
        Run r;
        System.setErr(new PrintStream(picocli, true, StandardCharsets.UTF_8));
        try {
            r = run(args);
        } finally {
            System.setErr(saved);
        }
        assertEquals(ExitCodes.OK, r.code(), args + ": " + r.err());
        assertEquals("", r.err(), args.toString());
        assertEquals("", picocli.toString(StandardCharsets.UTF_8), args + ": picocli warned on System.err");
        return r.out();
    }

    private static void fits(String what, String text) {
        for (String line : text.split("\\R")) {
            assertTrue(line.length() <= Unroll.HELP_WIDTH, what + ": a line of " + line.length() + " columns (at most " + Unroll.HELP_WIDTH
                    + "): " + line);
        }
    }

    @Test
    void theWalkReachesNestedCommands() {
        List<String> names = walk(Unroll.commandLine()).stream().map(c -> c.getCommandSpec().qualifiedName(" ")).toList();
        assertTrue(names.containsAll(List.of("unroll", "unroll verify", "unroll golden reference", "unroll golden fla", "unroll run attention",
                "unroll run transformer", "unroll inspect", "unroll bench", "unroll generate-completion")), names.toString());
    }

    @Test
    void everyHelpLineFitsTheWidthAndSaysUsageInLowerCase() {
        for (CommandLine c : walk(Unroll.commandLine())) {
            String name = c.getCommandSpec().qualifiedName(" ");
            String help = help(c);
            fits(name + " --help", help);
            assertTrue(help.startsWith("usage: " + name + " "), name + " --help:\n" + help);
            assertFalse(help.contains("Usage:"), name + " --help:\n" + help);
        }
    }

    @Test
    void bareUnrollPrintsTheUsageOnStandardErrorAndExits2() {
        Run r = run(List.of());
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("usage: unroll [-hV]"), r.err());
        fits("unroll", r.err());
    }

    @Test
    void everyCommandHasAOneSentenceHeaderThatItsParentListsWhole() {
        for (CommandLine c : walk(Unroll.commandLine())) {
            String name = c.getCommandSpec().qualifiedName(" ");
            String[] header = c.getCommandSpec().usageMessage().header();
            assertEquals(1, header.length, name + ": one header line, got " + Arrays.toString(header));
            assertFalse(header[0].isBlank(), name);
            assertTrue(header[0].endsWith("."), name + ": a header is a sentence: " + header[0]);
            if (c.getParent() != null) {
                String list = help(c.getParent());
                list = list.substring(list.indexOf("\nCommands:\n")).replaceAll("\\s+", " ");
                assertTrue(list.contains(" " + c.getCommandName() + " " + header[0] + " "), name + " in its parent's list: " + list);
            }
        }
    }

    /** One style of headings: Arguments:, Options: and Commands:, each after a blank line, wherever there is such a list. */
    @Test
    void everyCommandUsesTheSameHeadings() {
        for (CommandLine c : walk(Unroll.commandLine())) {
            String name = c.getCommandSpec().qualifiedName(" ");
            String help = help(c);
            assertTrue(help.contains("\n\nOptions:\n"), name + " --help:\n" + help);
            assertEquals(!c.getSubcommands().isEmpty(), help.contains("\n\nCommands:\n"), name + " --help:\n" + help);
            assertEquals(!c.getCommandSpec().positionalParameters().isEmpty(), help.contains("\n\nArguments:\n"), name + " --help:\n" + help);
            assertFalse(help.contains("\n\n\n"), name + " --help: two blank lines in a row:\n" + help);
        }
    }

    /**
     * picocli formats help texts as format strings: a lone % ("25 %") fails, and picocli then
     * prints a warning on System.err (a 300-column line that no width setting wraps).
     */
    @Test
    void picocliFormatsEveryHelpTextWithoutAWarning() {
        for (CommandLine c : walk(Unroll.commandLine())) {
            help(c);
        }
    }

    /**
     * Where a command takes a kernel name, completion offers the kernels on the class path (this
     * module's tests have none: the examples' tests check the names in the script).
     */
    @Test
    void kernelParametersCompleteWithTheKernelsOnTheClassPath() {
        CommandLine root = Unroll.commandLine();
        for (List<String> path : List.of(List.of("inspect"), List.of("bench"), List.of("run", "attention"), List.of("run", "trm"))) {
            CommandLine c = root;
            for (String w : path) {
                c = c.getSubcommands().get(w);
            }
            PositionalParamSpec kernel = c.getCommandSpec().positionalParameters().get(0);
            assertEquals("KERNEL", kernel.paramLabel(), path.toString());
            assertInstanceOf(KernelNames.class, kernel.completionCandidates(), path.toString());
        }
        assertEquals(Targets.names(Targets.of(null)), KernelNames.names(null));
        assertEquals(Targets.names(Targets.of(Family.TRM)), KernelNames.names(Family.TRM));
        List<String> names = new ArrayList<>();
        new KernelNames.Attention().forEach(names::add);
        assertEquals(Targets.names(Targets.of(Family.LINEAR_ATTENTION)), names);
        Run r = run(List.of("generate-completion"));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("complete -F _complete_unroll"), r.out());
    }
}

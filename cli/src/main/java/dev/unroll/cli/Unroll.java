package dev.unroll.cli;

import dev.unroll.runtime.UnrollException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code unroll} launcher: {@code unroll <command> [options] [args]}. Errors print one line
 * without a stack trace unless {@code --debug} is given; exit codes are in {@link ExitCodes}.
 * Other modules add commands through {@link ServiceLoader} (see {@link UnrollCommand}).
 */
@Command(name = "unroll", mixinStandardHelpOptions = true, versionProvider = Version.class, synopsisHeading = "usage: ",
        header = "Runs, checks and inspects the kernels Unroll generated (found on the class path).",
        subcommands = {VerifyCommand.class, GoldenCommand.class, RunCommand.class, InspectCommand.class, BenchCommand.class, DescriptorCommand.class, DevicesCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "Every command takes --debug (stack traces on errors) and --help.",
                "exit codes: 0 ok, 1 check failed, 2 usage, 3 bad input, 4 internal error, 5 out of memory"})
public final class Unroll {
    /** Columns of the usage help: every line of every command's --help fits in them. */
    static final int HELP_WIDTH = 100;

    /**
     * Accepted by every command; taken out of the command line before it is parsed ({@link UserClassPath}),
     * declared here for the help, the completion script and the sweeps.
     */
    @Option(names = {"-cp", "--classpath"}, scope = CommandLine.ScopeType.INHERIT, paramLabel = "PATH",
            description = "your jars and class folders (separated by '${sys:path.separator}'), searched for generated kernels "
                    + "after the launcher's own; default: the UNROLL_CLASSPATH environment variable")
    String classpath;

    /** Accepted by every command; read by the exception handler. */
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "print stack traces on errors")
    boolean debug;

    private Unroll() {}

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /**
     * Runs a command line.
     *
     * @param args arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        dev.unroll.runtime.internal.Checks.noNulls("Unroll.run: args", args);
        dev.unroll.runtime.internal.Checks.notNull("Unroll.run: out", out);
        dev.unroll.runtime.internal.Checks.notNull("Unroll.run: err", err);
        if (!UserClassPath.inside()) {
            UserClassPath.Request cp;
            try {
                cp = UserClassPath.parse(args, System.getenv(UserClassPath.ENV));
            } catch (UnrollException e) {
                err.println(commandName(args) + ": " + e.getMessage() + " (try: unroll --help)");
                return ExitCodes.USAGE;
            }
            if (!cp.entries().isEmpty()) {
                try {
                    return UserClassPath.rerun(cp, out, err);
                } catch (RuntimeException e) {
                    err.println(commandName(args) + ": internal error: " + UnrollException.safe(e.toString()));
                    return ExitCodes.INTERNAL;
                }
            }
        }
        CommandLine cl = commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        boolean debug = args.contains("--debug");
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(qualifiedName(c) + ": " + UnrollException.safe(ex.getMessage()) + " (try: " + qualifiedName(c) + " --help)");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean bad = ex instanceof UnrollException;
            c.getErr().println(qualifiedName(c) + ": " + (bad ? ex.getMessage()
                    : "internal error: " + UnrollException.safe(ex.toString()) + (debug ? "" : " (run with --debug for the stack trace)")));
            if (debug) {
                ex.printStackTrace(c.getErr());
            }
            return bad ? ExitCodes.BAD_INPUT : ExitCodes.INTERNAL;
        });
        if (args.isEmpty()) {
            cl.usage(cl.getErr());
            return ExitCodes.USAGE;
        }
        try {
            return cl.execute(args.toArray(String[]::new));
        } catch (OutOfMemoryError e) {
            // picocli handles exceptions, not errors: without this an OOM is a stack trace and exit 1, "check failed"
            cl.getErr().println(outOfMemory(args));
            if (debug) {
                e.printStackTrace(cl.getErr());
            }
            return ExitCodes.OUT_OF_MEMORY;
        } catch (StackOverflowError e) {
            cl.getErr().println(commandName(args) + ": internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(cl.getErr());
            }
            return ExitCodes.INTERNAL;
        }
    }

    /** One line: what ran out, the heap it had, and how to give it more. */
    static String outOfMemory(List<String> args) {
        return commandName(args) + ": out of memory: the JVM's heap of " + dev.unroll.runtime.Limits.human(Runtime.getRuntime().maxMemory())
                + " (-Xmx) is too small for this run; raise it (UNROLL_JAVA_OPTS=-Xmx8g ./unroll ..., or java -Xmx8g ...) or ask for less";
    }

    /** {@code unroll run} for {@code unroll run attention ...}: the command the user typed first. */
    private static String commandName(List<String> args) {
        return args.isEmpty() || args.get(0).startsWith("-") ? "unroll" : "unroll " + UnrollException.safe(args.get(0));
    }

    /**
     * The launcher's command model: its built-in commands and those other modules register. The
     * hostile-input sweep walks it, so that a new command or option is swept in the same change.
     *
     * @return a fresh command line (no output streams or handlers set: {@link #run} sets them)
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Unroll());
        for (UnrollCommand c : ServiceLoader.load(UnrollCommand.class, Unroll.class.getClassLoader())) {
            cl.addSubcommand(c);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        helpLayout(cl);
        return cl;
    }

    /**
     * One help layout for every command, the registered ones and picocli's generate-completion
     * included: {@link #HELP_WIDTH} columns; "usage:", then the command's header (its one-sentence
     * summary, also its line in its parent's command list), its description, and the Arguments:,
     * Options: and Commands: lists, each after a blank line. Set after the subcommands are added:
     * picocli's setters reach only the commands present.
     */
    private static void helpLayout(CommandLine cl) {
        cl.setUsageHelpWidth(HELP_WIDTH);
        List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
        List<String> header = List.of(UsageMessageSpec.SECTION_KEY_HEADER_HEADING, UsageMessageSpec.SECTION_KEY_HEADER);
        keys.removeAll(header);
        keys.addAll(keys.indexOf(UsageMessageSpec.SECTION_KEY_SYNOPSIS) + 1, header);
        cl.setHelpSectionKeys(keys);
        CommandLine completion = cl.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().header("Prints a bash/zsh completion script for unroll: commands, options and kernel names.")
                    .description("Run the following command to give `unroll` TAB completion in the current shell:", "",
                            "  source <(unroll generate-completion)");
        }
        headings(cl);
    }

    private static void headings(CommandLine c) {
        UsageMessageSpec u = c.getCommandSpec().usageMessage();
        u.synopsisHeading("usage: ").descriptionHeading(u.description().length == 0 ? "" : "%n").parameterListHeading("%nArguments:%n")
                .optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n");
        for (CommandLine sub : c.getSubcommands().values()) {
            headings(sub);
        }
    }

    /** {@code unroll run} for {@code unroll run trm}: errors name the command the user typed first. */
    private static String qualifiedName(CommandLine c) {
        CommandLine top = c;
        while (top.getParent() != null && top.getParent().getParent() != null) {
            top = top.getParent();
        }
        return top.getParent() == null ? "unroll" : "unroll " + top.getCommandName();
    }
}

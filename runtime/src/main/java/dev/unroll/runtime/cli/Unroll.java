package dev.unroll.runtime.cli;

import dev.unroll.runtime.UnrollException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@code unroll} launcher: {@code unroll <command> [options] [args]}. Errors print one line
 * without a stack trace unless {@code --debug} is given; exit codes are in {@link ExitCodes}.
 */
public final class Unroll {
    private Unroll() {}

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** @return the built-in commands plus those registered through ServiceLoader, by name */
    static Map<String, CliCommand> commands() {
        Map<String, CliCommand> m = new LinkedHashMap<>();
        for (CliCommand c : List.of(new VerifyCommand(), new RunCommand(), new InspectCommand(), new BenchCommand())) {
            m.put(c.name(), c);
        }
        for (CliCommand c : ServiceLoader.load(CliCommand.class, Unroll.class.getClassLoader())) {
            m.putIfAbsent(c.name(), c);
        }
        return m;
    }

    /**
     * Runs a command line.
     *
     * @param argv arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(argv);
        boolean debug = args.remove("--debug");
        Map<String, CliCommand> commands = commands();
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            usage(commands, args.isEmpty() ? err : out);
            return args.isEmpty() ? ExitCodes.USAGE : ExitCodes.OK;
        }
        CliCommand cmd = commands.get(args.get(0));
        if (cmd == null) {
            err.println("unroll: unknown command '" + args.get(0) + "' (try: unroll --help)");
            return ExitCodes.USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(cmd.help());
            return ExitCodes.OK;
        }
        try {
            return cmd.run(new ArrayList<>(rest), out, err);
        } catch (UsageException e) {
            err.println("unroll " + cmd.name() + ": " + e.getMessage() + " (try: unroll " + cmd.name() + " --help)");
            return ExitCodes.USAGE;
        } catch (UnrollException e) {
            err.println("unroll " + cmd.name() + ": " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            return ExitCodes.BAD_INPUT;
        } catch (Exception | Error e) {
            err.println("unroll " + cmd.name() + ": internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return ExitCodes.INTERNAL;
        }
    }

    private static void usage(Map<String, CliCommand> commands, PrintStream s) {
        s.println("usage: unroll <command> [options] [args]   (unroll <command> --help for details)");
        s.println();
        for (CliCommand c : commands.values()) {
            s.printf("  %-8s %s%n", c.name(), c.summary());
        }
        s.println();
        s.println("options for every command: --debug (stack traces on errors)");
        s.println("exit codes: 0 ok, 1 check failed, 2 usage, 3 bad input, 4 internal error");
    }
}

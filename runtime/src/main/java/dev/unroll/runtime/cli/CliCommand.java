package dev.unroll.runtime.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * A subcommand of the {@code unroll} launcher. Built-in commands live in this package; other modules
 * add theirs through {@link java.util.ServiceLoader} (the examples add {@code demo}).
 */
public interface CliCommand {
    /** @return the subcommand name */
    String name();

    /** @return one line for the command list */
    String summary();

    /** @return the full {@code --help} text */
    String help();

    /**
     * @param args arguments after the subcommand name ({@code --help} already handled)
     * @param out standard output
     * @param err standard error (progress, warnings)
     * @return the exit code (see {@link ExitCodes})
     * @throws Exception any failure; the launcher prints it without a stack trace unless --debug
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}

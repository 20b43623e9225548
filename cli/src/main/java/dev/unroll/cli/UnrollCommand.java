package dev.unroll.cli;

import java.util.concurrent.Callable;

/**
 * A command another module adds to the launcher: a picocli {@code @Command} registered in
 * {@code META-INF/services/dev.unroll.cli.UnrollCommand} (the examples add {@code demo}). It returns
 * its exit code ({@link ExitCodes}); an {@link dev.unroll.runtime.UnrollException} becomes one line
 * on stderr and exit code 3.
 */
public interface UnrollCommand extends Callable<Integer> {}

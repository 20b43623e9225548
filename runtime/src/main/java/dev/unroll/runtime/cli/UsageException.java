package dev.unroll.runtime.cli;

/** A command line the launcher cannot run; exits with {@link ExitCodes#USAGE}. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the arguments */
    public UsageException(String message) {
        super(message);
    }
}

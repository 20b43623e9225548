package dev.unroll.runtime;

/** Base of every exception the runtime throws on bad input: the message says what and where. */
public class UnrollException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the tensor, argument or file at fault */
    public UnrollException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public UnrollException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.unroll.runtime.gguf;

import dev.unroll.runtime.UnrollException;

/** A GGUF file that is malformed, truncated, or of a kind Unroll does not read; the message names where. */
public final class GgufFormatException extends UnrollException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public GgufFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the I/O failure
     */
    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.unroll.runtime.safetensors;

import dev.unroll.runtime.UnrollException;

/** A safetensors file that is malformed, truncated or lies about its contents. */
public final class SafetensorsFormatException extends UnrollException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the tensor or byte range */
    public SafetensorsFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause underlying I/O failure
     */
    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

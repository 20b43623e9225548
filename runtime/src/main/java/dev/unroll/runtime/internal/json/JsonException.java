package dev.unroll.runtime.internal.json;

import dev.unroll.runtime.UnrollException;

/** Malformed JSON, or JSON of the wrong shape; the message gives the offset or member. */
public final class JsonException extends UnrollException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public JsonException(String message) {
        super(message);
    }
}

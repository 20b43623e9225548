package dev.unroll.runtime.transformer;

import dev.unroll.runtime.backend.Backend;

/**
 * Decodes one token at a time on one backend, keeping its KV caches where that backend keeps them:
 * the JVM heap ({@link DecodeSession}) or device memory under TornadoVM, where only the token, the
 * position (and a recurrent pass's feedback) go in and the logits come back. Not thread-safe: one
 * caller at a time, each with its own runner.
 */
public interface DecodeRunner extends AutoCloseable {
    /** @return the backend that runs */
    Backend backend();

    /** @return how the recurrent pass runs, for reports */
    String mode();

    /**
     * Runs a prompt token through the model (its caches), without logits.
     *
     * @param token the token
     * @param pos its position
     */
    void absorb(int token, int pos);

    /**
     * Runs the newest token and writes the next-token logits.
     *
     * @param token the token
     * @param pos its position
     * @param logits output [vocab]
     */
    void next(int token, int pos, float[] logits);

    /** Releases device memory; the runner cannot be used afterwards. */
    @Override
    void close();
}

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
     * Runs prompt tokens through the model (its caches) in one call, without logits: token
     * {@code tokens[from + t]} at position {@code pos + t}. A runner over a generated model without
     * hooks prefills them in blocks ({@link TransformerModel#prefill}); otherwise, one at a time.
     *
     * @param tokens holds the prompt
     * @param from index of the first token to run
     * @param count how many, at least 1
     * @param pos position of the first
     * @throws dev.unroll.runtime.UnrollException naming the argument when the range or a position does not fit
     */
    default void absorb(int[] tokens, int from, int count, int pos) {
        Prefill.checkRange(tokens, from, count);
        for (int t = 0; t < count; t++) {
            absorb(tokens[from + t], pos + t);
        }
    }

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

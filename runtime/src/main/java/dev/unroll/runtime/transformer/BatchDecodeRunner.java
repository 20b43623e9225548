package dev.unroll.runtime.transformer;

import dev.unroll.runtime.backend.Backend;

/**
 * Decodes many independent sequences together, one token of each per call, each with its own KV caches
 * and position, on one backend: the JVM ({@link TransformerModel#forwardTokens}: the projections and the
 * MLP as matrix products over the sequences, the weights read once for all) or the TornadoVM glue (the
 * caches of every sequence on the device, one token of up to {@code DEVICE_BLOCK} sequences per execution,
 * each attending to its own cache). Each call runs the model's whole forward (its descriptor's recurrent
 * block included) and writes every sequence's logits. Opened by {@link TransformerRunners#openBatch}.
 * Not thread-safe: one caller at a time.
 */
public interface BatchDecodeRunner extends AutoCloseable {
    /** @return the backend that runs */
    Backend backend();

    /** @return how many sequences this runner decodes, each with its own caches */
    int sequences();

    /**
     * Runs one token of every sequence and writes each one's next-token logits.
     *
     * @param tokens the token of each sequence ({@code [sequences]})
     * @param positions the position of each; a sequence's earlier positions must have been run
     * @param logits receives each sequence's scores ({@code [sequences][vocab]}, distinct arrays)
     * @throws dev.unroll.runtime.UnrollException naming the argument when a length, a token or a position
     *     does not fit, when the runner is closed, or when the backend fails (nothing has run when an
     *     argument is rejected)
     */
    void next(int[] tokens, int[] positions, float[][] logits);

    /** Releases the caches (device memory under TornadoVM); the runner cannot be used afterwards. */
    @Override
    void close();
}

package dev.unroll.runtime.backend;

/**
 * Runs fixed-length chunks of a stream through one layer on some backend, keeping the recurrent state
 * where the backend keeps it (the JVM heap, or device memory under TornadoVM).
 */
public interface SequenceRunner extends AutoCloseable {
    /** @return the backend that runs */
    Backend backend();

    /** @return tokens per chunk, fixed when the runner is opened (TornadoVM captures scalars in its task graph) */
    int tokens();

    /**
     * Advances the state by one chunk.
     *
     * @param xs inputs {@code [tokens][width]}
     * @param ys outputs {@code [tokens][width]}, overwritten
     */
    void run(float[] xs, float[] ys);

    /** Brings the state the backend holds back into the stream's {@code AttentionState} (a no-op on the JVM). */
    void syncState();

    /**
     * Releases device memory; the runner cannot be used afterwards. Runners from
     * {@code LinearAttentionRunners.open} bring the state back first ({@link #syncState()}); a second close does nothing.
     */
    @Override
    void close();
}

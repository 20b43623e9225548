package dev.unroll.runtime.backend;

/**
 * Steps a fixed set of streams through one layer by one token each per call, on some backend, keeping
 * their recurrent states where the backend keeps them (the JVM heap, or device memory under TornadoVM).
 * One call reads the layer's weights once for all the streams: the projections are one matrix product
 * over the streams' tokens. The runner owns the states from open to close: a device keeps its own copy, so
 * a change made to a state meanwhile is not seen by the device and is overwritten when the states come back.
 */
public interface StreamsRunner extends AutoCloseable {
    /** @return the backend that runs */
    Backend backend();

    /** @return the number of streams, fixed when the runner is opened */
    int streams();

    /**
     * Advances every stream by one token.
     *
     * @param xs one token per stream, {@code [streams][width]}, in the order the states were given
     * @param ys one output per stream, {@code [streams][width]}, overwritten
     */
    void step(float[] xs, float[] ys);

    /** Brings the states the backend holds back into the streams' {@code AttentionState}s (a no-op on the JVM). */
    void syncStates();

    /**
     * Brings the states back ({@link #syncStates()}) and releases device memory; the runner cannot be used
     * afterwards. Runners from {@code LinearAttentionRunners.openStreams} do both; a second close does nothing.
     */
    @Override
    void close();
}

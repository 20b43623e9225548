package dev.unroll.runtime.attention;

import dev.unroll.runtime.attention.AbstractLinearAttention;

/**
 * A multi-head streaming linear-attention layer: a generated kernel or the generic engine.
 *
 * <p>Every call takes the stream's {@link AttentionState} explicitly, so one layer (its weights)
 * serves any number of independent streams; the convenience methods of
 * {@link AbstractLinearAttention} use a default state. Vectors are flat: one token is
 * {@code width} values, a sequence {@code [tokens][width]} row-major. Both precisions are
 * accepted; the kernel's own precision avoids a conversion.
 *
 * <p>Thread-safety: a layer is immutable; any number of threads may share it, each stream with its own
 * {@link AttentionState}, which one thread uses at a time.
 */
public interface LinearAttentionLayer {
    /** @return the descriptor, with the precision this layer computes in */
    AttentionSpec spec();

    /** @return what runs: generated class and flavour, or the generic engine */
    String implementation();

    /** @return a zero state for a new stream */
    AttentionState newState();

    /**
     * Advances the state by one token and reads it (post-update, as the reference's
     * {@code forward}).
     *
     * @param state the stream
     * @param x input, length width
     * @param y output, length width
     */
    void step(AttentionState state, float[] x, float[] y);

    /**
     * @see #step(AttentionState, float[], float[])
     * @param state stream
     * @param x input
     * @param y output
     */
    void step(AttentionState state, double[] x, double[] y);

    /**
     * Reads the state without changing it (pre-update, as the reference's {@code query_state}:
     * no tanh except for LogLinear).
     *
     * @param state the stream
     * @param x input, length width
     * @param y output, length width
     */
    void query(AttentionState state, float[] x, float[] y);

    /**
     * @see #query(AttentionState, float[], float[])
     * @param state stream
     * @param x input
     * @param y output
     */
    void query(AttentionState state, double[] x, double[] y);

    /**
     * Runs a sequence; equal to {@code tokens} calls of {@code step}, computed with batched
     * projections.
     *
     * @param state the stream
     * @param xs inputs {@code [tokens][width]}
     * @param tokens sequence length
     * @param ys outputs {@code [tokens][width]}
     */
    void forward(AttentionState state, float[] xs, int tokens, float[] ys);

    /**
     * @see #forward(AttentionState, float[], int, float[])
     * @param state s
     * @param xs in
     * @param tokens T
     * @param ys out
     */
    void forward(AttentionState state, double[] xs, int tokens, double[] ys);

    /**
     * Steps many independent streams by one token each. Generated f32 layers batch them: in calls of
     * up to 64 streams, the projections of all the call's tokens are one matrix product (the weights
     * read once per call instead of once per stream) and each stream's heads update its own state;
     * large batches split over threads. Results equal lone steps within f32 rounding (the products
     * sum in another order). Every argument is checked before any state changes; an output that
     * overflows is reported with its stream after all streams have stepped.
     *
     * @param states one per stream, each a distinct object
     * @param xs one input per stream (several streams may share one array)
     * @param ys one output per stream, none shared with another stream's input or output
     */
    void stepBatch(AttentionState[] states, float[][] xs, float[][] ys);

    /**
     * As {@link #stepBatch(AttentionState[], float[][], float[][])}, on at most {@code threads}
     * threads, the caller's among them: 1 keeps all the work on the caller's thread, as a Flink task
     * or any caller that does its own threading needs. More than the runtime's thread count
     * ({@code -Dunroll.threads}, else the processors) gives that count.
     *
     * @param states one per stream, each a distinct object
     * @param xs one input per stream (several streams may share one array)
     * @param ys one output per stream, none shared with another stream's input or output
     * @param threads at least 1
     */
    void stepBatch(AttentionState[] states, float[][] xs, float[][] ys, int threads);

    /**
     * Runs a sequence on each of many independent streams, in parallel over streams.
     *
     * @param states one per stream
     * @param xs one {@code [tokens][width]} input per stream
     * @param tokens sequence length
     * @param ys one output per stream
     */
    void forwardBatch(AttentionState[] states, float[][] xs, int tokens, float[][] ys);
}

package dev.unroll.runtime.transformer;

/**
 * What a generated transformer's TornadoVM glue ({@code FooTornado}) does: one decoding step over a
 * layer schedule fixed when it is built (one KV cache per entry of the schedule, on the device), with
 * an optional feedback vector added to the stream before one entry. {@link TransformerRunners} builds
 * the schedule of a recurrent pass and drives it; callers use {@link DecodeRunner}.
 */
public interface DeviceDecoder extends AutoCloseable {
    /**
     * Embeds the token, runs the schedule at this position, and writes the logits.
     *
     * @param token the token, in the vocabulary
     * @param pos its position, in [0, maxSeq)
     * @param nudge the feedback to add before the schedule's nudge entry ([width]), or null for none
     * @param logits output [vocab]
     */
    void step(int token, int pos, float[] nudge, float[] logits);

    /** Releases device memory. */
    @Override
    void close();
}

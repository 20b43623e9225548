package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;

/**
 * What a generated transformer's TornadoVM glue ({@code FooTornado}) does: one decoding step over a
 * layer schedule fixed when it is built (one KV cache per entry of the schedule, on the device), with
 * an optional feedback vector added to the stream before one entry; a prompt in blocks of tokens
 * ({@link #absorb}); and, built for many sequences ({@link DecoderGlue#openSequences}), one token of
 * each, each in its own caches ({@link #stepSequences}). {@link TransformerRunners} builds
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
     * @throws UnrollException when this decoder was built for many sequences
     */
    void step(int token, int pos, float[] nudge, float[] logits);

    /**
     * @return how many prompt tokens {@link #absorb} runs per execution (its block); 1 for a glue that
     *     runs one token per execution, which {@link #absorb} then does not support
     */
    default int block() {
        return 1;
    }

    /**
     * Runs prompt tokens through the schedule in blocks of {@link #block()} tokens, filling the caches,
     * without logits: token {@code tokens[from + t]} at position {@code pos + t}. The caller has checked
     * the tokens, the range and the positions.
     *
     * @param tokens holds the prompt
     * @param from index of the first token to run
     * @param count how many, at least 1
     * @param pos position of the first
     * @param nudges the feedback to add before the schedule's nudge entry, one row of width per token
     *     ({@code [count][width]}), or null for none
     * @throws UnrollException when this glue runs one token per execution ({@link #block()} is 1)
     */
    default void absorb(int[] tokens, int from, int count, int pos, float[] nudges) {
        throw new UnrollException("this device decoder runs one token per execution (block() is 1): run a prompt with step()");
    }

    /** @return how many sequences this decoder holds caches for ({@link #stepSequences}); 1 for one generation */
    default int sequences() {
        return 1;
    }

    /**
     * One token of every sequence, each at its own position in its own caches, and each one's logits. The
     * caller has checked the lengths, the tokens and the positions.
     *
     * @param tokens the token of each sequence ({@code [sequences]})
     * @param positions the position of each
     * @param logits receives each sequence's scores ({@code [sequences][vocab]})
     * @throws UnrollException when this decoder was opened for one generation
     */
    default void stepSequences(int[] tokens, int[] positions, float[][] logits) {
        throw new UnrollException("this device decoder holds one generation's caches: open it for many sequences (DecoderGlue.openSequences)");
    }

    /** Releases device memory. */
    @Override
    void close();
}

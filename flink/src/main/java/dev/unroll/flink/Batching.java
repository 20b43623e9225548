package dev.unroll.flink;

/**
 * How events of many keys are gathered and stepped together, in rounds of distinct keys on the
 * task's thread. A batch is stepped when it holds {@code maxEvents} events, after {@code maxDelayMillis} of
 * processing time, before every watermark and checkpoint barrier is passed on, and at the end of the
 * input; events of one key are stepped in arrival order (one key's second event waits for the next
 * round of the same batch). {@link #NONE} steps each event on its own.
 *
 * @param maxEvents events per batch, at least 1
 * @param maxDelayMillis the longest an event waits, in processing-time milliseconds, at least 0
 */
public record Batching(int maxEvents, long maxDelayMillis) {
    /** Up to 256 events, at most 10 ms of waiting. */
    public static final Batching DEFAULT = new Batching(256, 10);
    /** One event at a time. */
    public static final Batching NONE = new Batching(1, 0);

    /**
     * Checks the values.
     *
     * @param maxEvents events per batch, at least 1
     * @param maxDelayMillis the longest an event waits, in milliseconds, at least 0
     */
    public Batching {
        if (maxEvents < 1 || maxDelayMillis < 0) {
            throw new IllegalArgumentException("batching needs maxEvents >= 1 and maxDelayMillis >= 0, got " + maxEvents + ", " + maxDelayMillis);
        }
    }
}

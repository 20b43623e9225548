package dev.unroll.flink;

/**
 * A key's state at the end of a bounded input, in Unroll's serialised form
 * ({@code AttentionState.fromBytes} reads it): what a backfill job hands to a live one, and what
 * tests compare. A Flink POJO.
 *
 * @param <K> the key type
 */
public class FinalState<K> {
    /** The stream's key. */
    public K key;
    /** {@code AttentionState.toBytes()} of its final state. */
    public byte[] state;

    /** For Flink's POJO serializer. */
    public FinalState() {}

    /**
     * @param key the key
     * @param state the serialised state
     */
    public FinalState(K key, byte[] state) {
        this.key = key;
        this.state = state;
    }
}

package dev.unroll.flink;

import java.util.Arrays;
import java.util.Objects;

/**
 * One event's result: the key, the event's timestamp, how many tokens the key's stream has seen
 * with this one, and the layer's output. A Flink POJO (public fields, no-argument constructor).
 *
 * @param <K> the key type
 */
public class AttentionOutput<K> {
    /** The stream's key. */
    public K key;
    /** The event's timestamp (event time), or null when the event had none. */
    public Long timestamp;
    /** Tokens of this key's stream so far, this one included (1 for its first event). */
    public long tokens;
    /** The layer's output for this event, {@code width} values. */
    public float[] y;

    /** For Flink's POJO serializer. */
    public AttentionOutput() {}

    /**
     * @param key the key
     * @param timestamp the event's timestamp, or null
     * @param tokens the stream's token count after this event
     * @param y the output
     */
    public AttentionOutput(K key, Long timestamp, long tokens, float[] y) {
        this.key = key;
        this.timestamp = timestamp;
        this.tokens = tokens;
        this.y = y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionOutput<?> a && Objects.equals(key, a.key) && Objects.equals(timestamp, a.timestamp)
                && tokens == a.tokens && Arrays.equals(y, a.y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, timestamp, tokens) * 31 + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "AttentionOutput[key=" + key + ", timestamp=" + timestamp + ", tokens=" + tokens + ", y=" + Arrays.toString(y) + "]";
    }
}

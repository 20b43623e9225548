package dev.unroll.flink;

/**
 * An event the layer did not take, with the reason (a null key, a missing vector, a wrong width, a
 * NaN or infinite value). Rejected events reach the side output {@link UnrollFlink#rejected}; they
 * never touch a key's state. A Flink POJO.
 *
 * @param <IN> the event type
 */
public class Rejected<IN> {
    /** The event as it arrived. */
    public IN event;
    /** Why it was rejected. */
    public String reason;

    /** For Flink's POJO serializer. */
    public Rejected() {}

    /**
     * @param event the event
     * @param reason why
     */
    public Rejected(IN event, String reason) {
        this.event = event;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return "Rejected[" + reason + ": " + event + "]";
    }
}

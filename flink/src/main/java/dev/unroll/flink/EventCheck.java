package dev.unroll.flink;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets through the events a layer can take and sends every other one, with the reason, to the
 * rejected side output, before the stream is keyed: a null key, a missing vector, a vector of the
 * wrong width, a NaN or infinite value. So a bad event can neither fail the job nor reach a key's
 * state.
 *
 * @param <K> key type
 * @param <IN> event type
 */
final class EventCheck<K, IN> extends ProcessFunction<IN, IN> {
    private static final long serialVersionUID = 1L;

    private final KeySelector<IN, K> key;
    private final VectorOf<IN> vector;
    private final int width;
    private final OutputTag<Rejected<IN>> rejected;

    EventCheck(KeySelector<IN, K> key, VectorOf<IN> vector, int width, OutputTag<Rejected<IN>> rejected) {
        this.key = key;
        this.vector = vector;
        this.width = width;
        this.rejected = rejected;
    }

    @Override
    public void processElement(IN event, Context ctx, Collector<IN> out) throws Exception {
        String reason = reason(event);
        if (reason == null) {
            out.collect(event);
        } else {
            ctx.output(rejected, new Rejected<>(event, reason));
        }
    }

    private String reason(IN event) throws Exception {
        if (event == null) {
            return "a null event";
        }
        if (key.getKey(event) == null) {
            return "a null key";
        }
        float[] x = vector.apply(event);
        if (x == null) {
            return "no input vector";
        }
        if (x.length != width) {
            return "an input vector of " + x.length + " values, the layer's width is " + width;
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                return "input value " + i + " is " + x[i] + " (inputs must be finite)";
            }
        }
        return null;
    }
}

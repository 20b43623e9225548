package dev.unroll.flink;

import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Generated linear-attention layers on Apache Flink's DataStream API:
 *
 * <pre>{@code
 * AttentionStreams<String, Reading> out = UnrollFlink.attention(readings, Reading::sensor, Reading::vector,
 *         LayerSource.seeded(SensorFeaturesLayer.SPEC), Batching.DEFAULT);
 * out.outputs().sinkTo(...);   // AttentionOutput<String>: key, timestamp, tokens, y
 * out.rejected().sinkTo(...);  // Rejected<Reading>: the event and the reason
 * }</pre>
 *
 * <p>At the end of a bounded input every key's final state also leaves on {@code finalStates()}.
 *
 * <p>Each key's {@link AttentionState} is Flink keyed state (checkpointed, rescalable, restored
 * after failures, exactly-once), serialised by {@link AttentionStateSerializer}; the layer's weights
 * are built once per task manager ({@link LayerSource}), never per key or event, never in state.
 * The operator's uid is {@value #UID}, so that savepoints restore into a changed job.
 */
public final class UnrollFlink {
    /** The attention operator's uid. */
    public static final String UID = "unroll-attention";
    /** The event check's uid. */
    public static final String CHECK_UID = "unroll-attention-check";
    /** Flink's limit on an operator name in metric names (longer names are truncated, with a warning). */
    static final int METRIC_NAME_LIMIT = 80;

    private UnrollFlink() {}

    /**
     * The two streams a layer gives.
     *
     * @param outputs one output per accepted event, in each key's order
     * @param rejected the events the layer did not take, with the reason
     * @param finalStates at the end of a bounded input, each key's final state
     * @param <K> key type
     * @param <IN> event type
     */
    public record AttentionStreams<K, IN>(SingleOutputStreamOperator<AttentionOutput<K>> outputs, DataStream<Rejected<IN>> rejected,
            DataStream<FinalState<K>> finalStates) {}

    /**
     * @param <IN> event type
     * @param eventType the events' type
     * @return the rejected side output's tag
     */
    public static <IN> OutputTag<Rejected<IN>> rejected(TypeInformation<IN> eventType) {
        return new OutputTag<>("unroll-rejected", rejectedType(eventType));
    }

    /**
     * Runs every event through the layer as one token of its key's stream.
     *
     * @param events the events, any order across keys; each key's events in its stream's order (as a
     *     partitioned source such as a Kafka partition per key delivers them)
     * @param key each event's stream (never null: null keys are rejected)
     * @param vector each event's input vector ({@code width} finite values)
     * @param layer the layer: descriptor, weights and the job's kernel flavour
     * @param batching how events of many keys are stepped together
     * @param <K> key type
     * @param <IN> event type
     * @return the outputs and the rejected events
     */
    public static <K, IN> AttentionStreams<K, IN> attention(DataStream<IN> events, KeySelector<IN, K> key, VectorOf<IN> vector, LayerSource layer,
            Batching batching) {
        OutputTag<Rejected<IN>> tag = rejected(events.getType());
        // the check runs beside its input (same parallelism, chained), so that it keeps each key's order
        SingleOutputStreamOperator<IN> valid = events.process(new EventCheck<>(key, vector, layer.spec().width(), tag), events.getType())
                .setParallelism(events.getParallelism()).uid(CHECK_UID).name("Unroll: check");
        KeyedStream<IN, K> keyed = valid.keyBy(key);
        OutputTag<FinalState<K>> finals = new OutputTag<>("unroll-final-states", finalStateType(keyed.getKeyType()));
        SingleOutputStreamOperator<AttentionOutput<K>> out = keyed.transform(operatorName(layer.spec()), outputType(keyed.getKeyType()),
                new AttentionOperator<K, IN>(layer, vector, batching, finals)).uid(UID);
        out.setDescription("Unroll: " + layer);
        return new AttentionStreams<>(out, valid.getSideOutput(tag), out.getSideOutput(finals));
    }

    /**
     * The operator's name: short, because Flink truncates operator names in metric names at 80
     * characters, with a warning; the full descriptor is the operator's description.
     *
     * @param spec the layer's descriptor
     * @return e.g. {@code Unroll: GATED_DELTA_NET width 32 heads 4}
     */
    static String operatorName(AttentionSpec spec) {
        String name = "Unroll: " + spec.mode() + " width " + spec.width() + " heads " + spec.heads();
        return name.length() <= METRIC_NAME_LIMIT ? name : name.substring(0, METRIC_NAME_LIMIT);
    }

    /**
     * @param keyType the key's type
     * @param <K> key type
     * @return the outputs' type (a POJO)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <K> TypeInformation<AttentionOutput<K>> outputType(TypeInformation<K> keyType) {
        return (TypeInformation) Types.POJO(AttentionOutput.class, Map.of("key", keyType, "timestamp", Types.LONG, "tokens", Types.LONG, "y",
                PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K> TypeInformation<FinalState<K>> finalStateType(TypeInformation<K> keyType) {
        return (TypeInformation) Types.POJO(FinalState.class, Map.of("key", keyType, "state", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <IN> TypeInformation<Rejected<IN>> rejectedType(TypeInformation<IN> eventType) {
        return (TypeInformation) Types.POJO(Rejected.class, Map.of("event", eventType, "reason", Types.STRING));
    }
}

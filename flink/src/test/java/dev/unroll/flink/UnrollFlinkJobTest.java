package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.flink.example.Reading;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator on a MiniCluster at parallelism 2: per key, exactly what the key's stream gives alone.
 * The source runs at parallelism 1, so that each key's events arrive in their order.
 */
class UnrollFlinkJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final LayerSource SOURCE = LayerSource.seeded(SensorFeaturesLayer.SPEC);
    static final int WIDTH = SensorFeaturesLayer.SPEC.width();
    static final int KEYS = 40;
    static final int PER_KEY = 50;

    static Stream<Batching> batchings() {
        return Stream.of(Batching.DEFAULT, Batching.NONE, new Batching(7, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchings")
    void perKeyOutputsAndFinalStatesAreThoseOfEachStreamAlone(Batching batching) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Reading> readings = env.fromSequence(0, (long) KEYS * PER_KEY - 1)
                .setParallelism(1)
                .map((MapFunction<Long, Reading>) i -> Reading.synthetic(i, KEYS, WIDTH)).returns(Reading.class).setParallelism(1);
        UnrollFlink.AttentionStreams<String, Reading> out = UnrollFlink.attention(readings, r -> r.sensor, r -> r.values, SOURCE, batching);
        CloseableIterator<AttentionOutput<String>> outputs = out.outputs().collectAsync();
        CloseableIterator<FinalState<String>> finals = out.finalStates().collectAsync();
        env.execute("per-key equality");

        LinearAttentionLayer layer = SOURCE.layer();
        Map<String, Streams.Alone> alone = Streams.alone(layer, Streams.readings((long) KEYS * PER_KEY, KEYS, WIDTH));
        List<AttentionOutput<String>> got = new ArrayList<>();
        outputs.forEachRemaining(got::add);
        Streams.assertSameAsAlone(alone, got);
        int n = 0;
        while (finals.hasNext()) {
            FinalState<String> f = finals.next();
            assertArrayEquals(alone.get(f.key).finalState(), f.state, f.key + ": final state");
            n++;
        }
        assertEquals(KEYS, n, "one final state per key");
    }

    /**
     * Bad events (a wrong width, NaN, infinity, no vector, a null key) go to the side output with their
     * reason; the good ones and every key's state are untouched.
     */
    @Test
    void badEventsAreRejectedWithTheirReasonAndPoisonNothing() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        int total = 8 * 20;
        DataStream<Reading> readings = env.fromSequence(0, total - 1).setParallelism(1).map((MapFunction<Long, Reading>) i -> {
            Reading r = Reading.synthetic(i, 8, WIDTH);
            // half the events are bad, in five ways; the rest are a normal stream
            if (i % 10 == 1) {
                return new Reading(r.sensor, r.time, null);
            }
            if (i % 10 == 3) {
                return new Reading(r.sensor, r.time, new float[WIDTH + 1]);
            }
            if (i % 10 == 6) {
                r.values[5] = Float.NaN;
            }
            if (i % 10 == 8) {
                r.values[2] = Float.POSITIVE_INFINITY;
            }
            if (i % 10 == 9) {
                r.sensor = null;
            }
            return r;
        }).returns(Reading.class).setParallelism(1);
        UnrollFlink.AttentionStreams<String, Reading> out = UnrollFlink.attention(readings, r -> r.sensor, r -> r.values, SOURCE, Batching.DEFAULT);
        CloseableIterator<AttentionOutput<String>> outputs = out.outputs().collectAsync();
        CloseableIterator<Rejected<Reading>> rejected = out.rejected().collectAsync();
        env.execute("bad events");

        List<Reading> good = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            if (i % 10 != 1 && i % 10 != 3 && i % 10 != 6 && i % 10 != 8 && i % 10 != 9) {
                good.add(Reading.synthetic(i, 8, WIDTH));
            }
        }
        List<AttentionOutput<String>> got = new ArrayList<>();
        outputs.forEachRemaining(got::add);
        Streams.assertSameAsAlone(Streams.alone(SOURCE.layer(), good), got);
        List<String> reasons = new ArrayList<>();
        rejected.forEachRemaining(r -> reasons.add(r.reason));
        assertEquals(5 * total / 10, reasons.size(), reasons.toString());
        assertEquals(total / 10, reasons.stream().filter(s -> s.equals("no input vector")).count(), reasons::toString);
        assertEquals(total / 10, reasons.stream().filter(s -> s.equals("input value 2 is Infinity (inputs must be finite)")).count(), reasons::toString);
        assertEquals(total / 10, reasons.stream().filter(s -> s.equals("an input vector of 33 values, the layer's width is 32")).count(), reasons::toString);
        assertEquals(total / 10, reasons.stream().filter(s -> s.equals("input value 5 is NaN (inputs must be finite)")).count(), reasons::toString);
        assertEquals(total / 10, reasons.stream().filter(s -> s.equals("a null key")).count(), reasons::toString);
        assertTrue(got.size() == total - reasons.size());
    }
}

package dev.unroll.flink;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.flink.example.Reading;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The Flink figures of the README, measured in one run: events/s of the example layer (Gated DeltaNet,
 * width 32, 4 heads) through a local MiniCluster job at parallelism 1 and 2, batched and one by one,
 * against the plain layer loop over the same events (runs interleaved: loop, jobs, loop); the cost of
 * serialising a state (what RocksDB or a checkpoint pays per access); state bytes per key per mode.
 * Wall clock of the job (Flink's net runtime, without cluster start-up); the machine is shared, so
 * each configuration runs once to warm up, then three times, and the best and the worst are printed. Run with
 * {@code mvn -q -pl flink test-compile exec:exec -Dexample.main=dev.unroll.flink.ThroughputBenchmark}.
 */
public final class ThroughputBenchmark {
    static final int KEYS = 1000;
    static final long EVENTS = 1_000_000;
    static final int WIDTH = SensorFeaturesLayer.SPEC.width();
    static final LayerSource SOURCE = LayerSource.seeded(SensorFeaturesLayer.SPEC);

    private ThroughputBenchmark() {}

    /**
     * @param args unused
     * @throws Exception when a job fails
     */
    public static void main(String[] args) throws Exception {
        System.out.println("layer: " + SOURCE.layer().implementation() + ", " + EVENTS + " events of " + KEYS + " keys");
        List<Reading> events = Streams.readings(EVENTS, KEYS, WIDTH);
        report("plain layer loop (1 thread)", () -> loop(events));
        for (int p : new int[] {1, 2}) {
            for (Batching b : new Batching[] {Batching.DEFAULT, Batching.NONE}) {
                report("Flink, parallelism " + p + ", batch " + b.maxEvents(), () -> job(p, b));
            }
        }
        report("plain layer loop (1 thread), again", () -> loop(events));
        serialisation();
        memoryPerKey();
    }

    interface Run {
        double eventsPerSecond() throws Exception;
    }

    static void report(String what, Run run) throws Exception {
        run.eventsPerSecond(); // warm-up: JIT and the layer
        double best = 0;
        double worst = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double r = run.eventsPerSecond();
            best = Math.max(best, r);
            worst = Math.min(worst, r);
        }
        System.out.printf("%-40s %,12.0f events/s (worst of 3: %,.0f)%n", what, best, worst);
    }

    static double loop(List<Reading> events) {
        LinearAttentionLayer layer = SOURCE.layer();
        Map<String, AttentionState> states = new HashMap<>();
        float[] y = new float[WIDTH];
        long t0 = System.nanoTime();
        for (Reading r : events) {
            layer.step(states.computeIfAbsent(r.sensor, k -> layer.newState()), r.values, y);
        }
        return events.size() / ((System.nanoTime() - t0) / 1e9);
    }

    static double job(int parallelism, Batching batching) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        UnrollFlink.AttentionStreams<String, Reading> out = UnrollFlink.attention(
                env.fromSequence(0, EVENTS - 1).setParallelism(1).map((MapFunction<Long, Reading>) i -> Reading.synthetic(i, KEYS, WIDTH))
                        .returns(Reading.class).setParallelism(1),
                r -> r.sensor, r -> r.values, SOURCE, batching);
        out.outputs().sinkTo(new DiscardingSink<>());
        JobExecutionResult r = env.execute("throughput");
        return EVENTS / (r.getNetRuntime(TimeUnit.NANOSECONDS) / 1e9);
    }

    /** A state's serialise + deserialise round trip through the Flink serializer, per event. */
    static void serialisation() throws Exception {
        LinearAttentionLayer layer = SOURCE.layer();
        AttentionStateSerializer ser = new AttentionStateSerializer(layer.spec());
        AttentionState s = layer.newState();
        DataOutputSerializer out = new DataOutputSerializer(4096);
        int n = 500_000;
        double ns = 0;
        for (int rep = 0; rep < 3; rep++) { // the last of three: warmed up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                out.clear();
                ser.serialize(s, out);
                s = ser.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            }
            ns = (System.nanoTime() - t0) / (double) n;
        }
        System.out.printf("state serialise + deserialise (%d bytes): %.0f ns per event%n", s.toBytes().length, ns);
    }

    /** Serialised state per key, per mode, at the example's size (width 32, 4 heads, f32). */
    static void memoryPerKey() {
        System.out.println("| mode | state bytes per key |");
        System.out.println("|---|---:|");
        for (AttentionMode m : AttentionMode.values()) {
            AttentionSpec spec = AttentionSpec.builder(m, 32).heads(4).precision(dev.unroll.annotations.Precision.F32).build();
            System.out.printf("| %s | %,d |%n", m, new AttentionState(spec).toBytes().length);
        }
    }
}

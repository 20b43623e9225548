package dev.unroll.flink.example;

import dev.unroll.flink.AttentionOutput;
import dev.unroll.flink.Batching;
import dev.unroll.flink.LayerSource;
import dev.unroll.flink.UnrollFlink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The example job: synthetic readings of many sensors ({@link SensorReadings}, partitioned by
 * sensor) through the generated {@code SensorFeatures} layer, each sensor its own stream with its
 * state in Flink. Every sensor's outputs depend only on its own readings, in order: two runs give
 * the same outputs at any parallelism, and after failures. Runs on an embedded MiniCluster when
 * started with {@code java}, and on a cluster with {@code flink run [-p P] [-d]
 * flink/target/unroll-flink-job.jar [options]}; the options are {@link JobOptions}'.
 *
 * <p>Every operator has a uid ({@link #SOURCE_UID}, Unroll's two, and one per sink), so that
 * savepoints restore into changed versions of the job.
 */
public final class SensorFeaturesJob {
    /** The source's uid. */
    public static final String SOURCE_UID = "sensor-readings";

    private SensorFeaturesJob() {}

    /**
     * @param args see {@link JobOptions}
     * @throws Exception when the job fails
     */
    public static void main(String[] args) throws Exception {
        JobOptions o = JobOptions.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (o.parallelism() > 0) {
            env.setParallelism(o.parallelism()); // else flink run -p, or the cluster's parallelism.default
        }
        if (o.checkpointMillis() > 0) {
            env.enableCheckpointing(o.checkpointMillis());
        }
        sinks(pipeline(env, o), o);
        JobExecutionResult result = env.execute("Unroll sensor features");
        if (!result.isJobExecutionResult()) { // flink run -d: submitted, nothing to wait for
            System.out.println("submitted job " + result.getJobID() + ": " + o.events() + " readings of " + o.sensors() + " sensors");
            return;
        }
        double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3; // the job's run time, without the cluster's start-up
        System.out.printf("%d readings of %d sensors, parallelism %d, batch %d: %.1f s, %.0f readings/s%n", o.events(), o.sensors(), env.getParallelism(),
                o.batch(), seconds, o.events() / seconds);
    }

    /**
     * The readings through the layer.
     *
     * @param env the environment (its parallelism is the job's)
     * @param o the options
     * @return the layer's outputs, rejected readings and final states
     */
    public static UnrollFlink.AttentionStreams<String, Reading> pipeline(StreamExecutionEnvironment env, JobOptions o) {
        int width = SensorFeaturesLayer.SPEC.width();
        DataStream<Reading> readings = env.fromSource(new SensorReadings(o.events(), o.sensors(), o.partitions(), width, o.eventsPerSecond()),
                WatermarkStrategy.<Reading>forBoundedOutOfOrderness(Duration.ofMillis(o.sensors())).withTimestampAssigner((r, ts) -> r.time),
                "Sensor readings", TypeInformation.of(Reading.class)).uid(SOURCE_UID);
        LayerSource layer = LayerSource.seeded(SensorFeaturesLayer.SPEC).ifFlavourUnavailable(o.ifFlavourUnavailable());
        if (o.flavour() != null) {
            layer = layer.withFlavour(o.flavour());
        }
        return UnrollFlink.attention(readings, r -> r.sensor, r -> r.values, layer, new Batching(o.batch(), 10));
    }

    /**
     * Prints what the options ask for.
     *
     * @param out the pipeline's streams
     * @param o the options
     */
    static void sinks(UnrollFlink.AttentionStreams<String, Reading> out, JobOptions o) {
        switch (o.output()) {
            case SAMPLE -> out.outputs().filter(y -> y.tokens % 100 == 0 && y.key.equals("sensor-0")).uid("sample-filter").name("sensor-0 every 100")
                    .map(SensorFeaturesJob::describe).uid("sample-lines").name("sample lines").print().uid("sample-print").name("print");
            case CHECK -> {
                out.outputs().map(CheckLines::output).uid("check-lines").name("check lines").print().uid("check-print").name("print");
                out.finalStates().map(CheckLines::state).uid("state-lines").name("state lines").print().uid("state-print").name("print");
            }
            case NONE -> out.outputs().sinkTo(new DiscardingSink<>()).uid("discard").name("discard");
        }
        out.rejected().map(r -> "rejected: " + r.reason).returns(Types.STRING).uid("rejected-lines").name("rejected lines").print().uid("rejected-print").name("print");
    }

    private static String describe(AttentionOutput<String> o) {
        return o.key + " token " + o.tokens + ": y[0..3] = " + o.y[0] + ", " + o.y[1] + ", " + o.y[2] + ", " + o.y[3];
    }
}

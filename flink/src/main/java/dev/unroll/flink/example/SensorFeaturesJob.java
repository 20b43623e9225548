package dev.unroll.flink.example;

import dev.unroll.flink.AttentionOutput;
import dev.unroll.flink.Batching;
import dev.unroll.flink.LayerSource;
import dev.unroll.flink.UnrollFlink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The example job: synthetic readings of many sensors through the generated {@code SensorFeatures}
 * layer, each sensor its own stream with its state in Flink. Runs on an embedded MiniCluster when
 * started with {@code java}, and on a cluster with {@code flink run -c
 * dev.unroll.flink.example.SensorFeaturesJob flink/target/unroll-flink-job.jar}.
 *
 * <p>Arguments (all optional): {@code --events N} (default 200000), {@code --sensors K} (1000),
 * {@code --parallelism P} (2), {@code --batch M} (256; 1 steps events one by one).
 */
public final class SensorFeaturesJob {
    private SensorFeaturesJob() {}

    /**
     * @param args see the class comment
     * @throws Exception when the job fails
     */
    public static void main(String[] args) throws Exception {
        long events = arg(args, "--events", 200_000);
        int sensors = (int) arg(args, "--sensors", 1000);
        int parallelism = (int) arg(args, "--parallelism", 2);
        int batch = (int) arg(args, "--batch", 256);
        int width = SensorFeaturesLayer.SPEC.width();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(2000);
        DataStream<Reading> readings = env.fromSequence(0, events - 1).map((MapFunction<Long, Reading>) i -> Reading.synthetic(i, sensors, width))
                .returns(Reading.class).assignTimestampsAndWatermarks(
                        WatermarkStrategy.<Reading>forBoundedOutOfOrderness(Duration.ofMillis(100)).withTimestampAssigner((r, ts) -> r.time));

        UnrollFlink.AttentionStreams<String, Reading> out = UnrollFlink.attention(readings, r -> r.sensor, r -> r.values,
                LayerSource.seeded(SensorFeaturesLayer.SPEC), new Batching(batch, 10));

        out.outputs().filter(o -> o.tokens % 100 == 0 && o.key.equals("sensor-0")).map(SensorFeaturesJob::describe).print();
        out.rejected().map(r -> "rejected: " + r.reason).print();

        JobExecutionResult result = env.execute("Unroll sensor features");
        double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3; // the job's run time, without the cluster's start-up
        System.out.printf("%d events of %d sensors, parallelism %d, batch %d: %.1f s, %.0f events/s%n", events, sensors, parallelism, batch, seconds,
                events / seconds);
    }

    private static String describe(AttentionOutput<String> o) {
        return o.key + " token " + o.tokens + ": y[0..3] = " + o.y[0] + ", " + o.y[1] + ", " + o.y[2] + ", " + o.y[3];
    }

    private static long arg(String[] args, String name, long dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Long.parseLong(args[i + 1]);
            }
        }
        return dflt;
    }
}

package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.flink.example.Reading;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.attention.AttentionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once: a job that fails three times restarts from its checkpoints and commits, per key,
 * exactly the outputs of the key's stream run alone; a job stopped with savepoints and resumed at
 * parallelism 2, then 3, then 1 keeps every key's state; a savepoint restored into a layer of another
 * descriptor fails, naming both.
 */
class FaultToleranceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final LayerSource SOURCE = LayerSource.seeded(SensorFeaturesLayer.SPEC);
    static final int WIDTH = SensorFeaturesLayer.SPEC.width();
    static final int KEYS = 30;

    @TempDir
    Path dir;

    /** The readings at a bounded rate, from one source subtask so that each key's order holds. */
    static DataStream<Reading> readings(StreamExecutionEnvironment env, long n, double perSecond) {
        DataGeneratorSource<Reading> source = new DataGeneratorSource<>(i -> Reading.synthetic(i, KEYS, WIDTH), n,
                RateLimiterStrategy.perSecond(perSecond), TypeInformation.of(Reading.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings").setParallelism(1).uid("readings");
    }

    static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING); // bounded sources, streaming semantics (checkpoints)
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(20));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(100);
        return env;
    }

    @Test
    void threeFailuresLoseNothingAndDuplicateNothing() throws Exception {
        long n = KEYS * 60L;
        StreamExecutionEnvironment env = env(2);
        UnrollFlink.AttentionStreams<String, Reading> out = UnrollFlink.attention(readings(env, n, 1500), r -> r.sensor, r -> r.values, SOURCE,
                Batching.DEFAULT);
        out.outputs().map(new FailOnce(3)).returns(out.outputs().getType()).uid("faults").sinkTo(new CommittedSink("faults")).uid("sink");
        env.execute("three failures");

        assertEquals(3, FailOnce.THROWN.get(), "failures injected");
        Map<String, Streams.Alone> alone = Streams.alone(SOURCE.layer(), Streams.readings(n, KEYS, WIDTH));
        Streams.assertSameAsAlone(alone, CommittedSink.committed("faults"));
    }

    @Test
    void savepointsRescaleFromTwoToThreeToOneAndKeepEveryKeysState() throws Exception {
        long n = KEYS * 60L;
        String run = "rescale";
        CommittedSink sink = new CommittedSink(run);
        String savepoint = null;
        int[] parallelisms = {2, 3, 1};
        for (int phase = 0; phase < parallelisms.length; phase++) {
            StreamExecutionEnvironment env = env(parallelisms[phase]);
            // 250 readings/s: a phase must still be running when a fifth of the stream more is committed, and on a loaded machine
            // checkpoints (which commit) take seconds; at 600/s the stream could end first and leave no job to stop
            UnrollFlink.AttentionStreams<String, Reading> out = UnrollFlink.attention(readings(env, n, 250), r -> r.sensor, r -> r.values, SOURCE,
                    Batching.DEFAULT);
            out.outputs().sinkTo(sink).uid("sink");
            StreamGraph graph = env.getStreamGraph();
            if (savepoint != null) {
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
            }
            JobClient job = env.executeAsync(graph);
            if (phase < parallelisms.length - 1) {
                // stop once this phase has committed a fifth of the stream more (the rate leaves it seconds to do so)
                long target = CommittedSink.committed(run).size() + n / 5;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while ((CommittedSink.committed(run).size() < target || job.getJobStatus().get() != JobStatus.RUNNING)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                savepoint = job.stopWithSavepoint(false, dir.resolve("sp" + phase).toUri().toString(), SavepointFormatType.CANONICAL).get();
                List<AttentionOutput<String>> sofar = CommittedSink.committed(run);
                assertTrue(sofar.size() < n, "phase " + phase + " stopped before the end: " + sofar.size());
                if (phase == 0) {
                    restoringIntoAnotherDescriptorFailsNamingBoth(savepoint, n);
                }
            } else {
                job.getJobExecutionResult().get();
            }
        }
        Map<String, Streams.Alone> alone = Streams.alone(SOURCE.layer(), Streams.readings(n, KEYS, WIDTH));
        Streams.assertSameAsAlone(alone, CommittedSink.committed(run));
    }

    /** The savepoint's states into a layer of another descriptor (8 heads instead of 4): a failed job, both descriptors named. */
    static void restoringIntoAnotherDescriptorFailsNamingBoth(String savepoint, long n) throws Exception {
        StreamExecutionEnvironment env = env(2);
        LayerSource other = LayerSource.seeded(AttentionSpec.builder(AttentionMode.GATED_DELTA_NET, WIDTH).heads(8).build());
        UnrollFlink.attention(readings(env, n, 600), r -> r.sensor, r -> r.values, other, Batching.DEFAULT).outputs().sinkTo(new DiscardingSink<>())
                .uid("sink");
        StreamGraph graph = env.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, true));
        ExecutionException e = assertThrows(ExecutionException.class, () -> env.executeAsync(graph).getJobExecutionResult().get());
        String chain = ExceptionUtils.stringifyException(e);
        assertTrue(chain.contains("the restored state was written by a layer @LinearAttention(mode = GATED_DELTA_NET, width = 32, heads = 4")
                && chain.contains("this job's layer is @LinearAttention(mode = GATED_DELTA_NET, width = 32, heads = 8"), chain);
    }
}

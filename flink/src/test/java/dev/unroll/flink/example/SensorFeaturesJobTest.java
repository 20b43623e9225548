package dev.unroll.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.flink.AttentionOutput;
import dev.unroll.flink.FinalState;
import dev.unroll.flink.UnrollFlink;
import dev.unroll.runtime.Flavour;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example job is deterministic: two failure-free runs at parallelism 2 and 4 print the same
 * outputs and final states, those of every sensor's readings run alone; every operator has a uid.
 */
class SensorFeaturesJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final JobOptions OPTIONS = JobOptions.parse("--events", "6000", "--sensors", "60", "--partitions", "16", "--output", "check");

    @Test
    void runsAtParallelismTwoAndFourPrintTheSameLinesAsEverySensorAlone() throws Exception {
        List<String> two = run(2);
        List<String> four = run(4);
        assertEquals(6000 + 60, two.size());
        assertEquals(two, four, "parallelism 2 and 4");
        SensorFeaturesCheck.Printed printed = SensorFeaturesCheck.parse(two);
        assertEquals(List.of(), SensorFeaturesCheck.check(printed, SensorFeaturesCheck.expected(6000, 60, Flavour.SIMD)));
    }

    /** The check lines of one run, sorted (outputs by key and token, then the final states). */
    private static List<String> run(int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        UnrollFlink.AttentionStreams<String, Reading> out = SensorFeaturesJob.pipeline(env, OPTIONS);
        CloseableIterator<AttentionOutput<String>> outputs = out.outputs().collectAsync();
        CloseableIterator<FinalState<String>> finals = out.finalStates().collectAsync();
        env.execute("parallelism " + parallelism);
        Map<String, String> lines = new TreeMap<>();
        outputs.forEachRemaining(o -> lines.put(String.format("%s %08d", o.key, o.tokens), CheckLines.output(o)));
        finals.forEachRemaining(f -> lines.put("~" + f.key, CheckLines.state(f)));
        return new ArrayList<>(lines.values());
    }

    /** With auto-generated uids off, Flink refuses a job graph with an operator without one. */
    @Test
    void everyOperatorOfTheJobHasAUid() {
        for (JobOptions.Output o : JobOptions.Output.values()) {
            StreamExecutionEnvironment env = noAutoUids();
            SensorFeaturesJob.sinks(SensorFeaturesJob.pipeline(env, JobOptions.parse("--output", o.name())), JobOptions.parse("--output", o.name()));
            env.getStreamGraph().getJobGraph(); // throws on an operator without a uid
        }
        StreamExecutionEnvironment env = noAutoUids();
        SensorFeaturesJob.pipeline(env, OPTIONS).outputs().map(y -> y.key).print().uid("print");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.getStreamGraph().getJobGraph());
        assertTrue(e.getMessage().contains("UID"), e.getMessage());
    }

    @Test
    void theUnrollOperatorsNameFitsFlinksMetricNames() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        String name = SensorFeaturesJob.pipeline(env, OPTIONS).outputs().getName();
        assertEquals("Unroll: GATED_DELTA_NET width 32 heads 4", name);
    }

    private static StreamExecutionEnvironment noAutoUids() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}

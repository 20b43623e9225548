package dev.unroll.flink.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.Hostile;
import java.time.Duration;

/**
 * Coverage-guided fuzz targets (Jazzer) of what the flink module reads from outside
 * ({@link FlinkFuzzTargets}). In the normal test run they replay the committed corpus
 * ({@code FlinkFuzzTestInputs/<method>/}); with {@code JAZZER_FUZZ=1} each runs coverage-guided for
 * its {@code maxDuration}, as {@code .ci/fuzz} does. Every input must be read or fail with one
 * clean {@code UnrollException} within {@link #LIMIT}.
 */
class FlinkFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @FuzzTest(maxDuration = "15s")
    void checkpointBytes(byte[] data) {
        Hostile.endsCleanly("checkpointBytes", LIMIT, () -> FlinkFuzzTargets.checkpointBytes(data));
    }

    @FuzzTest(maxDuration = "15s")
    void exampleText(byte[] data) {
        Hostile.endsCleanly("exampleText", LIMIT, () -> FlinkFuzzTargets.exampleText(data));
    }
}

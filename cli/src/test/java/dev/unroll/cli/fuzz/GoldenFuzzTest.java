package dev.unroll.cli.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.fuzz.SmallBudget;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz targets (Jazzer) for each {@code golden} converter ({@link GoldenTargets}): the
 * normal run replays the committed corpus ({@code GoldenFuzzTestInputs/<method>/}); {@code JAZZER_FUZZ=1}
 * fuzzes ({@code .ci/fuzz}).
 */
@ExtendWith(SmallBudget.class)
class GoldenFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void reference(byte[] data) {
        GoldenTargets.reference(data);
    }

    @FuzzTest(maxDuration = "15s")
    void trmTrace(byte[] data) {
        GoldenTargets.trmTrace(data);
    }

    @FuzzTest(maxDuration = "15s")
    void llama2c(byte[] data) {
        GoldenTargets.llama2c(data);
    }

    @FuzzTest(maxDuration = "15s")
    void fla(byte[] data) {
        GoldenTargets.fla(data);
    }
}

package dev.unroll.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.Hostile;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz targets (Jazzer), one per loader. In the normal test run they replay the
 * committed corpus ({@code LoaderFuzzTestInputs/<method>/}, with every finding Jazzer saved
 * there); with {@code JAZZER_FUZZ=1} each runs coverage-guided for its {@code maxDuration}, as
 * {@code .ci/run} does (see {@code docs/reliability.md}). Every input must load or fail with one
 * clean {@code UnrollException} within {@link #LIMIT}, under a small memory budget ({@link SmallBudget}).
 */
@ExtendWith(SmallBudget.class)
class LoaderFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @FuzzTest(maxDuration = "15s")
    void safetensors(byte[] data) {
        Hostile.endsCleanly("safetensors", LIMIT, () -> FuzzTargets.safetensors(data));
    }

    @FuzzTest(maxDuration = "15s")
    void gguf(byte[] data) {
        Hostile.endsCleanly("gguf", LIMIT, () -> FuzzTargets.gguf(data));
    }

    @FuzzTest(maxDuration = "15s")
    void ggufBpe(byte[] data) {
        Hostile.endsCleanly("ggufBpe", LIMIT, () -> FuzzTargets.ggufBpe(data));
    }

    @FuzzTest(maxDuration = "15s")
    void llama2c(byte[] data) {
        Hostile.endsCleanly("llama2c", LIMIT, () -> FuzzTargets.llama2c(data));
    }

    @FuzzTest(maxDuration = "15s")
    void tokenizer(byte[] data) {
        Hostile.endsCleanly("tokenizer", LIMIT, () -> FuzzTargets.tokenizer(data));
    }

    @FuzzTest(maxDuration = "15s")
    void hfTokenizer(byte[] data) {
        Hostile.endsCleanly("hfTokenizer", LIMIT, () -> FuzzTargets.hfTokenizer(data));
    }

    @FuzzTest(maxDuration = "15s")
    void shardIndex(byte[] data) {
        Hostile.endsCleanly("shardIndex", LIMIT, () -> FuzzTargets.shardIndex(data));
    }

    @FuzzTest(maxDuration = "15s")
    void stateBytes(byte[] data) {
        Hostile.endsCleanly("stateBytes", LIMIT, () -> FuzzTargets.stateBytes(data));
    }

    @FuzzTest(maxDuration = "15s")
    void descriptors(byte[] data) {
        Hostile.endsCleanly("descriptors", LIMIT, () -> FuzzTargets.descriptors(data));
    }

    @FuzzTest(maxDuration = "15s")
    void referenceJson(byte[] data) {
        Hostile.endsCleanly("referenceJson", LIMIT, () -> FuzzTargets.referenceJson(data));
    }

    /** Not a loader: the fla API's calls, decoded from the bytes ({@code FlaCalls}). */
    @FuzzTest(maxDuration = "15s")
    void fla(byte[] data) {
        Hostile.endsCleanly("fla", LIMIT, () -> FuzzTargets.fla(data));
    }
}

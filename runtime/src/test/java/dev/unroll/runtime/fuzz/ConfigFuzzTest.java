package dev.unroll.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) of {@link HfConfig}, the reader of Hugging Face {@code config.json}
 * files: every input must read as a descriptor that round-trips through its JSON form and names its
 * tensors, or fail with one clean UnrollException, within {@link #LIMIT}. In the normal test run it
 * replays the committed corpus ({@code ConfigFuzzTestInputs/hfConfig/}).
 */
@ExtendWith(SmallBudget.class)
class ConfigFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @FuzzTest(maxDuration = "15s")
    void hfConfig(byte[] data) {
        Hostile.endsCleanly("hfConfig", LIMIT, () -> {
            TransformerSpec s = HfConfig.parse(new String(data, StandardCharsets.UTF_8), "fuzz config.json");
            if (!TransformerSpec.fromJson(s.toJson()).equals(s)) {
                throw new AssertionError("the descriptor read from a config.json does not round-trip: " + s.describe());
            }
            TransformerWeights.shapes(s);
        });
    }
}

package dev.unroll.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.OfficialTrmArch;
import dev.unroll.runtime.trm.OfficialTrmCheckpoint;
import dev.unroll.runtime.trm.OfficialTrmFixture;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) of the official TinyRecursiveModels checkpoint reader: each
 * input, a safetensors file, is described ({@link OfficialTrmArch}, with the seed's {@code arch}
 * settings) and loaded ({@link OfficialTrmCheckpoint}); a small model that loads runs one supervision
 * step. Every input must do so or fail with one clean UnrollException within {@link #LIMIT}, under a
 * small memory budget. In the normal test run it replays the committed corpus
 * ({@code OfficialTrmFuzzTestInputs/checkpoint/}).
 */
@ExtendWith(SmallBudget.class)
class OfficialTrmFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @FuzzTest(maxDuration = "15s")
    void checkpoint(byte[] data) {
        Hostile.endsCleanly("officialTrm", LIMIT, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(FuzzTargets.write("fuzz-trm.safetensors", data))) {
                TensorSource source = TensorSource.of(f);
                boolean official = OfficialTrmCheckpoint.isOfficial(source);
                TrmSpec spec = OfficialTrmArch.spec(source, OfficialTrmFixture.SEED_ARCH);
                if (!official) {
                    throw new AssertionError("described a checkpoint isOfficial rejects");
                }
                TrmWeights w = OfficialTrmCheckpoint.load(spec, source);
                if ((long) spec.hidden() * spec.sequence() <= 4096 && spec.vocab() <= 64) {
                    GenericTrm m = new GenericTrm(w);
                    m.step(new int[spec.context()], m.initialCarry(1));
                }
            }
        });
    }
}

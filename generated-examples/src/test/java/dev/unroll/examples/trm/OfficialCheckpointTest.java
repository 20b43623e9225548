package dev.unroll.examples.trm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.trm.OfficialTrmCheckpoint;
import dev.unroll.runtime.trm.OfficialTrmFixture;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmStep;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated {@code TinyTrms.Attention} model (the official TRM's choices at small dimensions) on a
 * checkpoint saved under the official TinyRecursiveModels names, against the float64 forward of the
 * official equations: logits and halt/continue Q logits after each of 3 supervision steps, to 1e-4
 * absolute (values up to 2.3), in every flavour.
 */
class OfficialCheckpointTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void generatedModelMatchesTheOfficialForward(Flavour flavour) {
        OfficialTrmFixture f = OfficialTrmFixture.ATTENTION;
        TrmModel m = TinyTrms_AttentionModel.of(OfficialTrmCheckpoint.load(TinyTrms_AttentionModel.SPEC, f.checkpoint(), f.puzzleIdentifier), flavour);
        OfficialTrmFixture.Expected e = f.expected();
        TrmStep[] steps = OfficialTrmFixture.run(m, e.tokens());
        for (int s = 0; s < OfficialTrmFixture.STEPS; s++) {
            double logits = Tolerance.maxAbs(e.logits()[s], steps[s].logits());
            double q = Tolerance.maxAbs(e.q()[s], steps[s].halt());
            System.out.printf(Locale.ROOT, "[Unroll tests] official TRM on generated %s step %d: max abs error logits %.2e, q %.2e%n", flavour, s + 1, logits, q);
            assertTrue(logits <= 1e-4, flavour + " step " + (s + 1) + " logits: " + logits);
            assertTrue(q <= 1e-4, flavour + " step " + (s + 1) + " q: " + q);
        }
    }
}

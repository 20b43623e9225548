package dev.unroll.examples.trm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmGolden;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated seed model ({@link SudokuTrm}) against the golden outputs of the seed
 * {@code model.py} (PyTorch f32). The recursion is chaotic at random init (see the manifest), so
 * network calls are checked teacher-forced, each from its golden input. Tolerances, max abs error,
 * values up to about 25:
 * <ul>
 *   <li>embedding: 1e-6;
 *   <li>a network call or one layer stage: 2e-3 (the golden file's f32-vs-f64 study: up to 1e-3 per
 *       call; two f32 implementations summing in different orders differ by up to about twice that;
 *       observed up to 7e-4);
 *   <li>the netscale-0.5 model end to end (well conditioned): 2e-4 on y, z and the logits (observed
 *       5e-5), 1e-6 on the halting logit;
 *   <li>the Q head with the golden test weight: 1e-4.
 * </ul>
 * The SIMD flavour runs everything; the scalar flavour (about 1 GFLOP/s, 60 s end to end) runs the
 * embedding, the first and last call and the first call layer by layer.
 */
class GeneratedTrmGoldenTest {
    static TrmGolden golden;
    static TrmWeights weights;

    @BeforeAll
    static void load() {
        // absent references skip each test (counted in the run's summary), not the class silently
        if (TrmGolden.present()) {
            golden = new TrmGolden();
            weights = golden.weights();
        }
    }

    @BeforeEach
    void needsTheGoldenFiles() {
        TrmGolden.require();
    }

    @AfterAll
    static void close() {
        if (golden != null) {
            golden.close();
        }
    }

    static Stream<Arguments> calls() {
        List<Arguments> out = new ArrayList<>();
        for (Flavour f : Tolerance.flavours()) {
            for (int k = 1; k <= 21; k++) {
                if (f == Flavour.SIMD || k == 1 || k == 21) {
                    out.add(Arguments.of(f, k));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void embedding(Flavour f) {
        TrmModel m = SudokuTrmModel.of(weights, f);
        Tolerance.assertAbs(golden.file.floats("trace.x_embed"), m.embed(golden.tokens(), 4), 1e-6, "x_embed");
    }

    @ParameterizedTest(name = "{0} call {1}")
    @MethodSource("calls")
    void networkCallTeacherForced(Flavour f, int k) {
        TrmModel m = SudokuTrmModel.of(weights, f);
        float[] out = new float[4 * 82 * 512];
        m.network(golden.callInput(k), 4, out);
        Tolerance.assertAbs(golden.file.floats(String.format("trace.call%02d.out", k)), out, 2e-3, f + " call " + k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.runtime.Tolerance#flavours")
    void firstCallLayerByLayer(Flavour f) {
        LayerStages stages = new LayerStages(weights, f == Flavour.SIMD);
        float[] hs = golden.file.floats("trace.net1.in");
        for (int layer = 0; layer < 2; layer++) {
            String p = "trace.net1.layer" + layer + ".";
            float[] mixerOut = stages.mixer(layer, hs);
            Tolerance.assertAbs(golden.file.floats(p + "mixer_out"), mixerOut, 2e-3, f + " layer " + layer + " mixer_out");
            stages.residualNorm(hs, mixerOut);
            Tolerance.assertAbs(golden.file.floats(p + "after_mixer_norm"), hs, 2e-3, f + " layer " + layer + " after_mixer_norm");
            float[] mlpOut = stages.mlp(layer, hs);
            Tolerance.assertAbs(golden.file.floats(p + "mlp_out"), mlpOut, 2e-3, f + " layer " + layer + " mlp_out");
            stages.residualNorm(hs, mlpOut);
            Tolerance.assertAbs(golden.file.floats(p + "after_mlp_norm"), hs, 2e-3, f + " layer " + layer + " after_mlp_norm");
        }
        Tolerance.assertAbs(golden.file.floats("trace.net1.out"), hs, 2e-3, f + " net1.out");
    }

    static List<Flavour> fastest() {
        return List.of(Flavour.vectorModulePresent() ? Flavour.SIMD : Flavour.SCALAR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastest")
    void oneLatentRecursionTeacherForced(Flavour f) {
        // one cycle from the golden inputs, each call fed its golden input: z after 6 updates, then y
        TrmModel m = SudokuTrmModel.of(weights, f);
        float[] z = new float[4 * 82 * 512];
        m.network(golden.callInput(6), 4, z);
        Tolerance.assertAbs(golden.file.floats("trace.lr1.z"), z, 2e-3, "lr1.z");
        float[] y = new float[z.length];
        m.network(golden.callInput(7), 4, y);
        Tolerance.assertAbs(golden.file.floats("trace.lr1.y"), y, 2e-3, "lr1.y");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastest")
    void scaledModelEndToEnd(Flavour f) {
        TrmModel m = SudokuTrmModel.of(weights.scaleNetwork(0.5f), f);
        TrmCarry c = m.initialCarry(4);
        TrmStep out = m.step(golden.scaled.ints("input.tokens"), c);
        Tolerance.assertAbs(golden.scaled.floats("output.y"), c.y(), 2e-4, "y");
        Tolerance.assertAbs(golden.scaled.floats("output.z"), c.z(), 2e-4, "z");
        Tolerance.assertAbs(golden.scaled.floats("output.y_hat"), out.logits(), 2e-4, "y_hat");
        Tolerance.assertAbs(golden.scaled.floats("output.q_hat"), out.halt(), 1e-6, "q_hat");
        Tolerance.assertScaled(golden.scaled.doubles("f64.y_hat"), Tolerance.widen(out.logits()), 1e-5, "y_hat vs the f64 reference");
    }

    @Test
    void haltingHeadWithTheGoldenTestWeight() {
        float[] q = LayerStages.qHead(golden.file.floats("output.y"), golden.file.floats("extra.qtest.weight"), weights.get("q_head.proj.bias"));
        Tolerance.assertAbs(golden.file.floats("extra.qtest.q"), q, 1e-4, "qtest");
        assertArrayEquals(new float[] {-5, -5, -5, -5}, golden.file.floats("output.q_hat"));
    }
}

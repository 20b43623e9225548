package dev.unroll.examples.trm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmGolden;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What compact row projections cost the Sudoku TRM, against the seed {@code model.py}'s golden
 * outputs (PyTorch f32; $UNROLL_SHARED, skipped with the other TRM references when absent), in the
 * fastest flavour: the first network call teacher-forced (values up to about 25; F32 is within
 * 2e-3), and the netscale-0.5 model end to end, whose answer predictions (argmax per cell) are
 * compared with the reference's. (That the kernels compute exactly the stored values' function is
 * {@link GeneratedTrmPropertiesTest}'s check.) Measured: the first call within 1.5e-2 (BF16),
 * 4.7e-2 (Q8) and 0.84 (Q4) of the reference; end to end, all 324 cell predictions equal the
 * reference's for BF16 and Q8 (logits within 4.3e-3 and 1.9e-2), 317 for Q4 (within 0.163). The
 * bounds leave about twice that (Q4: 1.5 times).
 */
class CompactTrmTest {
    static TrmGolden golden;
    static TrmWeights weights;

    @BeforeAll
    static void load() {
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

    static Flavour fastest() {
        return List.of(Flavour.vectorModulePresent() ? Flavour.SIMD : Flavour.SCALAR).get(0);
    }

    static TrmModel model(WeightFormat format, TrmWeights w) {
        return switch (format) {
            case BF16 -> SudokuTrmBf16Model.of(w, fastest());
            case Q8 -> SudokuTrmQ8Model.of(w, fastest());
            case Q4 -> SudokuTrmQ4Model.of(w, fastest());
            case F32 -> throw new IllegalArgumentException("F32 is not compact");
        };
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "Q8", "Q4"})
    void firstNetworkCall(WeightFormat format) {
        float[] out = new float[4 * 82 * 512];
        model(format, weights).network(golden.callInput(1), 4, out);
        float[] ref = golden.file.floats("trace.call01.out");
        double worst = 0;
        for (int i = 0; i < out.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - ref[i]));
        }
        System.out.printf("%s: first network call, largest difference from the reference %.3e%n", format, worst);
        assertTrue(worst <= (format == WeightFormat.BF16 ? 0.05 : format == WeightFormat.Q8 ? 0.1 : 1.2), format + ": " + worst);
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "Q8", "Q4"})
    void scaledModelEndToEnd(WeightFormat format) {
        TrmModel m = model(format, weights.scaleNetwork(0.5f));
        TrmCarry c = m.initialCarry(4);
        TrmStep out = m.step(golden.scaled.ints("input.tokens"), c);
        float[] ref = golden.scaled.floats("output.y_hat");
        float[] got = out.logits();
        int vocab = ref.length / (4 * 81);
        int cells = ref.length / vocab;
        int same = 0;
        double worst = 0;
        for (int cell = 0; cell < cells; cell++) {
            int a = 0;
            int b = 0;
            for (int v = 0; v < vocab; v++) {
                int i = cell * vocab + v;
                worst = Math.max(worst, Math.abs(got[i] - ref[i]));
                a = ref[i] > ref[cell * vocab + a] ? v : a;
                b = got[i] > got[cell * vocab + b] ? v : b;
            }
            same += a == b ? 1 : 0;
        }
        System.out.printf("%s: netscale-0.5 step, %d of %d cell predictions equal the reference's, largest logit difference %.3e%n", format,
                same, cells, worst);
        assertTrue(same >= cells - (format == WeightFormat.BF16 ? 2 : format == WeightFormat.Q8 ? 4 : 14), format + ": " + same + " of " + cells);
        assertTrue(worst <= (format == WeightFormat.BF16 ? 0.02 : format == WeightFormat.Q8 ? 0.05 : 0.25), format + ": " + worst);
    }
}

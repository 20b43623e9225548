package dev.unroll.examples.reliability;

import static dev.unroll.runtime.Hostile.accepts;
import static dev.unroll.runtime.Hostile.rejects;

import dev.unroll.examples.attention.Rwkv_D16F64Layer;
import dev.unroll.examples.attention.Rwkv_D16Layer;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated kernels against inputs their precision cannot carry (see {@link Hostile}). */
class GeneratedCasesTest {
    private static void stream(LinearAttentionLayer layer, float amplitude, int tokens) {
        float[] x = new float[16];
        float[] y = new float[16];
        Arrays.fill(x, amplitude);
        AttentionState s = layer.newState();
        for (int t = 0; t < tokens; t++) {
            layer.step(s, x, y);
        }
    }

    static List<Hostile.Case> cases() {
        return List.of(
                rejects("generated RWKV at f32 with inputs of 2e3: exp(k) overflows", "RWKV overflowed at F32",
                        () -> stream(Rwkv_D16Layer.seeded(), 2e3f, 64)),
                rejects("generated RWKV at f64 with inputs of 2e3: the state overflows too", "RWKV overflowed at F64",
                        () -> stream(Rwkv_D16F64Layer.seeded(), 2e3f, 64)),
                accepts("RWKV at f32 with inputs of 1e3 stays finite", () -> stream(Rwkv_D16Layer.seeded(), 1e3f, 64)),
                rejects("a NaN input to a generated layer", "inputs must be finite", () -> stream(Rwkv_D16Layer.seeded(), Float.NaN, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedKernels(Hostile.Case c) {
        Hostile.check(c);
    }
}

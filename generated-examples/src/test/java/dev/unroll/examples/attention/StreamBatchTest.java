package dev.unroll.examples.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code stepBatch} on every generated f32 layer, both flavours: streams stepped together (their
 * projections one matrix product per call of up to 64 streams, calls split over threads) give what
 * each stream stepped alone gives, token after token, with the same states, token counts and
 * LogLinear level masks. The batch sizes cross the call size (64) and, with two threads, the
 * per-thread split (130 streams: two parts of 65, each a call of 64 and a call of 1). With F32
 * weights the GEMM sums each output in the order of the lone step's matrix-vector product: the same
 * bits. Compact weights are widened to F32 before the product instead of scaled after it: within
 * 3e-5 of the outputs' scale (the largest seen was 1.04e-5, an RWKV-7 layer of width 64 after three
 * tokens); Q4, whose lone SIMD product also takes the codes' offset of 8 once per block, within 1e-4
 * (largest seen 3.2e-5, the same RWKV-7 layer).
 */
class StreamBatchTest {
    private static final int[] BATCHES = {1, 7, 70, 130};
    private static final int TOKENS = 3;
    private static final double TOLERANCE = 3e-5;
    private static final double Q4_TOLERANCE = 1e-4;

    static Stream<LinearAttentionProvider> layers() {
        return GeneratedLayerPropertiesTest.layers().filter(p -> p.spec().precision() == Precision.F32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void streamsSteppedTogetherEqualStreamsSteppedAlone(LinearAttentionProvider p) {
        AttentionSpec spec = p.spec();
        int d = spec.width();
        AttentionWeights w = AttentionWeights.seeded(spec);
        for (Flavour f : Tolerance.flavours()) {
            LinearAttentionLayer layer = p.create(w, f);
            for (int n : BATCHES) {
                AttentionState[] together = new AttentionState[n];
                AttentionState[] alone = new AttentionState[n];
                for (int i = 0; i < n; i++) {
                    together[i] = layer.newState();
                    alone[i] = layer.newState();
                }
                for (int t = 0; t < TOKENS; t++) {
                    float[][] xs = new float[n][];
                    float[][] ys = new float[n][d];
                    float[] expected = new float[n * d];
                    for (int i = 0; i < n; i++) {
                        // each stream its own input, so a row mixed up with another's shows
                        xs[i] = GeneratedLayerPropertiesTest.slice(GeneratedLayerPropertiesTest.stream(TOKENS, d, 1.0 + 0.37 * i), t * d, d);
                        float[] y = new float[d];
                        layer.step(alone[i], xs[i], y);
                        System.arraycopy(y, 0, expected, i * d, d);
                    }
                    layer.stepBatch(together, xs, ys);
                    float[] got = new float[n * d];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(ys[i], 0, got, i * d, d);
                    }
                    String what = p.generatedClass() + " " + f + ", " + n + " streams, token " + t;
                    if (p.weights() == WeightFormat.F32) {
                        // F32 weights: the GEMM sums each output in the matrix-vector product's order
                        assertArrayEquals(expected, got, what + ": not the lone steps' bits");
                    } else {
                        Tolerance.assertScaled(Tolerance.widen(expected), Tolerance.widen(got), tolerance(p), what);
                    }
                }
                for (int i = 0; i < n; i++) {
                    String what = p.generatedClass() + " " + f + ", " + n + " streams, stream " + i;
                    Tolerance.assertScaled(alone[i].values(), together[i].values(), tolerance(p), what + " state");
                    assertEquals(alone[i].tokens(), together[i].tokens(), what + " tokens");
                    assertEquals(alone[i].levelMask(), together[i].levelMask(), what + " level mask");
                }
            }
        }
    }

    /** {@code -Dunroll.streamsPerThread} set to anything but a whole number from 1 is an error naming it, before any state changes. */
    @Test
    void aBadStreamsPerThreadSettingIsAnErrorNamingIt() {
        LinearAttentionLayer layer = RetNet_D64Layer.seeded();
        AttentionState s = layer.newState();
        System.setProperty("unroll.streamsPerThread", "0");
        try {
            UnrollException e = assertThrows(UnrollException.class,
                    () -> layer.stepBatch(new AttentionState[] {s}, new float[][] {new float[64]}, new float[][] {new float[64]}));
            assertEquals("-Dunroll.streamsPerThread=0: the fewest streams a thread of stepBatch takes must be a whole number in [1, 2147483647]",
                    e.getMessage());
            assertEquals(0, s.tokens(), "no state changed");
        } finally {
            System.clearProperty("unroll.streamsPerThread");
        }
    }

    private static double tolerance(LinearAttentionProvider p) {
        return p.weights() == dev.unroll.annotations.WeightFormat.Q4 ? Q4_TOLERANCE : TOLERANCE;
    }
}

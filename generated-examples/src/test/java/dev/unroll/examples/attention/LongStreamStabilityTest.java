package dev.unroll.examples.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 2^20 (about a million) tokens through every mode (width 16, f32, seeded weights, default parameters, inputs
 * {@code sin(0.37 t + 0.11 i)} repeating every 4096 tokens): no output or state value may become NaN or infinite. LogLinear's
 * levels never decay, so its state grows linearly with the token count; the test records that it
 * stays finite (about 1e3 after 1e6 tokens) and its outputs stay tanh-bounded.
 */
class LongStreamStabilityTest {
    static final int TOKENS = 1 << 20;
    static final int CHUNK = 4096;

    static Stream<LinearAttentionProvider> d16f32() {
        return GeneratedLayerPropertiesTest.layers().filter(p -> p.spec().width() == 16 && p.spec().precision() == Precision.F32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("d16f32")
    void millionTokensStayFinite(LinearAttentionProvider p) {
        AttentionSpec spec = p.spec();
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(spec));
        int d = spec.width();
        float[] xs = new float[CHUNK * d];
        float[] ys = new float[CHUNK * d];
        for (int t = 0; t < CHUNK; t++) {
            for (int i = 0; i < d; i++) {
                xs[t * d + i] = (float) Math.sin(0.37 * t + 0.11 * i);
            }
        }
        AttentionState s = layer.newState();
        double maxOut = 0;
        for (int start = 0; start < TOKENS; start += CHUNK) {
            int n = CHUNK;
            layer.forward(s, xs, n, ys);
            for (int i = 0; i < n * d; i++) {
                if (!Float.isFinite(ys[i])) {
                    fail(spec.describe() + ": non-finite output at token " + (start + i / d));
                }
                maxOut = Math.max(maxOut, Math.abs(ys[i]));
            }
        }
        for (double v : s.values()) {
            if (!Double.isFinite(v)) {
                fail(spec.describe() + ": non-finite state after " + TOKENS + " tokens");
            }
        }
        assertEquals(TOKENS, s.tokens());
        if (spec.tanhOutput()) {
            assertTrue(maxOut <= 1, "tanh-bounded output");
        }
    }
}

package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import org.junit.jupiter.api.Test;

/** The generated layer against the runtime's generic engine (f64), on the same seeded weights. */
class GdnTest {
    @Test
    void generatedLayerMatchesTheGenericEngine() {
        LinearAttentionLayer layer = GdnLayer.seeded();
        LinearAttentionLayer generic = new GenericLinearAttention(AttentionWeights.seeded(GdnLayer.SPEC));
        AttentionState a = layer.newState();
        AttentionState b = generic.newState();
        int d = GdnLayer.SPEC.width();
        float[] x = new float[d];
        float[] y = new float[d];
        float[] z = new float[d];
        double worst = 0;
        for (int t = 0; t < 64; t++) {
            for (int i = 0; i < d; i++) {
                x[i] = (float) Math.sin(0.37 * t + 0.11 * i);
            }
            layer.step(a, x, y);
            generic.step(b, x, z);
            for (int i = 0; i < d; i++) {
                worst = Math.max(worst, Math.abs(y[i] - z[i]) / Math.max(1e-3, Math.abs(z[i])));
            }
        }
        // F32 kernels against an f64 reference: relative error of float rounding over 64 tokens
        assertTrue(worst < 1e-4, layer.implementation() + ": max relative error " + worst);
        assertEquals(64, a.tokens());
    }
}

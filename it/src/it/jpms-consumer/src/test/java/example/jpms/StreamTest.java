package example.jpms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import org.junit.jupiter.api.Test;

class StreamTest {
    @Test
    void theGeneratedLayerRunsInTheModuleAndMatchesTheGenericEngine() {
        LinearAttentionLayer layer = StreamLayer.seeded();
        assertTrue(layer.implementation().contains("scalar"), layer.implementation());
        LinearAttentionLayer generic = new GenericLinearAttention(AttentionWeights.seeded(StreamLayer.SPEC));
        AttentionState a = layer.newState();
        AttentionState b = generic.newState();
        float[] x = new float[16];
        float[] ya = new float[16];
        float[] yb = new float[16];
        for (int t = 0; t < 20; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(0.37 * t + 0.11 * i);
            }
            layer.step(a, x, ya);
            generic.step(b, x, yb);
        }
        for (int i = 0; i < ya.length; i++) {
            ya[i] = Math.round(ya[i] * 1e5f) / 1e5f;
            yb[i] = Math.round(yb[i] * 1e5f) / 1e5f;
        }
        assertArrayEquals(yb, ya);
    }
}

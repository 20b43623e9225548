package dev.unroll.flink;

import dev.unroll.flink.example.Reading;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;

/**
 * Runs every path of the example layer's SIMD kernels (step, query, a sequence) often enough for
 * each method to be compiled, for {@link C1CompilesKernelsTest}.
 */
public final class C1Probe {
    private C1Probe() {}

    /** @param args unused */
    public static void main(String[] args) {
        LinearAttentionLayer layer = SensorFeaturesLayer.of(dev.unroll.runtime.attention.AttentionWeights.seeded(SensorFeaturesLayer.SPEC), Flavour.SIMD);
        int width = layer.spec().width();
        AttentionState s = layer.newState();
        float[] y = new float[width];
        float[] xs = new float[8 * width];
        float[] ys = new float[8 * width];
        for (int i = 0; i < 3_000; i++) {
            float[] x = Reading.synthetic(i, 10, width).values;
            layer.step(s, x, y);
            layer.query(s, x, y);
            if (i % 4 == 0) {
                System.arraycopy(x, 0, xs, (i / 4 % 8) * width, width);
                layer.forward(s, xs, 8, ys);
            }
        }
        System.out.println("probe done: " + layer.implementation());
    }
}

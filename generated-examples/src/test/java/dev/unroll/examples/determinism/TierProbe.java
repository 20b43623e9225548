package dev.unroll.examples.determinism;

import dev.unroll.examples.attention.GlaVector_D64Layer;
import dev.unroll.examples.attention.Hgrn2_D64Layer;
import dev.unroll.examples.attention.Rwkv7_D64Layer;
import dev.unroll.examples.attention.Rwkv_D64Layer;
import dev.unroll.examples.trm.TinyTrms_MixerModel;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.trm.TrmModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a few outputs of the SIMD kernels whose maths includes exp (the attention gates, TRM's
 * SwiGLU) and prints their bits, one line per kernel. {@link JitTierDeterminismTest} runs it in an
 * interpreted JVM and compares with the same computation after C2 has compiled the kernels.
 */
public final class TierProbe {
    private TierProbe() {}

    /** @param args unused */
    public static void main(String[] args) {
        probe().forEach(System.out::println);
    }

    /** @return one line per kernel: its name and the hex bits of its outputs */
    static List<String> probe() {
        List<String> lines = new ArrayList<>();
        for (LinearAttentionLayer layer : List.of(Rwkv_D64Layer.seeded(), Rwkv7_D64Layer.seeded(), GlaVector_D64Layer.seeded(), Hgrn2_D64Layer.seeded())) {
            int d = layer.spec().width();
            AttentionState s = layer.newState();
            float[] x = new float[d];
            float[] y = new float[d];
            StringBuilder sb = new StringBuilder(layer.implementation());
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < d; i++) {
                    x[i] = (float) (30 * Math.sin(0.37 * t + 0.11 * i));
                }
                layer.step(s, x, y);
                for (float v : y) {
                    sb.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
                }
            }
            lines.add(sb.toString());
        }
        TrmModel trm = TinyTrms_MixerModel.seeded();
        int[] tokens = new int[trm.spec().context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (3 * i + 1) % trm.spec().vocab();
        }
        float[] in = trm.embed(tokens, 1);
        float[] out = new float[in.length];
        trm.network(in, 1, out);
        StringBuilder sb = new StringBuilder(trm.implementation());
        for (float v : out) {
            sb.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        lines.add(sb.toString());
        return lines;
    }
}

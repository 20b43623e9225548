package dev.unroll.bench.trm;

import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;

/**
 * The naive baseline: the seed network (MLP mixer) as textbook triple loops over the PyTorch layouts,
 * one accumulator per output, one thread. This is what "just write the loops" gives on the JVM: C2
 * does not vectorise the float reductions.
 */
public final class NaiveTrmNetwork {
    private final TrmSpec s;
    private final TrmWeights w;

    /** @param w weights of a model with the MLP mixer */
    public NaiveTrmNetwork(TrmWeights w) {
        this.s = w.spec();
        this.w = w;
    }

    /**
     * @param in [B][L][H]
     * @param batch B
     * @param out [B][L][H]
     */
    public void network(float[] in, int batch, float[] out) {
        int l = s.sequence();
        int h = s.hidden();
        int mi = s.mixerIntermediate();
        int inter = s.mlpIntermediate();
        System.arraycopy(in, 0, out, 0, in.length);
        float[] delta = new float[in.length];
        for (int layer = 0; layer < s.layers(); layer++) {
            float[] gu = w.layer(layer, "mixer.swiglu.gate_up_proj.weight");
            float[] down = w.layer(layer, "mixer.swiglu.down_proj.weight");
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < h; c++) {
                    float[] act = new float[mi];
                    for (int m = 0; m < mi; m++) {
                        float g = 0;
                        float u = 0;
                        for (int p = 0; p < l; p++) {
                            g += gu[m * l + p] * out[(b * l + p) * h + c];
                            u += gu[(mi + m) * l + p] * out[(b * l + p) * h + c];
                        }
                        act[m] = g / (1f + (float) Math.exp(-g)) * u;
                    }
                    for (int p = 0; p < l; p++) {
                        float acc = 0;
                        for (int m = 0; m < mi; m++) {
                            acc += down[p * mi + m] * act[m];
                        }
                        delta[(b * l + p) * h + c] = acc;
                    }
                }
            }
            norm(out, delta, batch * l, h);
            float[] mu = w.layer(layer, "mlp.gate_up_proj.weight");
            float[] md = w.layer(layer, "mlp.down_proj.weight");
            float[] act = new float[inter];
            for (int r = 0; r < batch * l; r++) {
                for (int m = 0; m < inter; m++) {
                    float g = 0;
                    float u = 0;
                    for (int k = 0; k < h; k++) {
                        g += out[r * h + k] * mu[m * h + k];
                        u += out[r * h + k] * mu[(inter + m) * h + k];
                    }
                    act[m] = g / (1f + (float) Math.exp(-g)) * u;
                }
                for (int c = 0; c < h; c++) {
                    float acc = 0;
                    for (int m = 0; m < inter; m++) {
                        acc += act[m] * md[c * inter + m];
                    }
                    delta[r * h + c] = acc;
                }
            }
            norm(out, delta, batch * l, h);
        }
    }

    private void norm(float[] hs, float[] delta, int rows, int h) {
        for (int r = 0; r < rows; r++) {
            float ss = 0;
            for (int i = 0; i < h; i++) {
                hs[r * h + i] += delta[r * h + i];
                ss += hs[r * h + i] * hs[r * h + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / h + s.normEps()));
            for (int i = 0; i < h; i++) {
                hs[r * h + i] *= inv;
            }
        }
    }
}

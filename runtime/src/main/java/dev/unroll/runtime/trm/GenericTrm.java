package dev.unroll.runtime.trm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.Parallel;

/**
 * Runs any valid TRM configuration with run-time dimensions and plain loops, in f32: the oracle of
 * the generated kernels and the "generic engine" of the benchmarks. Matrix products use the
 * cache-friendly {@code i-k-j} order (which C2 can auto-vectorise), parallel over batch rows.
 */
public final class GenericTrm implements TrmModel {
    private final TrmSpec s;
    private final TrmWeights w;
    private final int h;
    private final int l;

    /** @param weights the model's weights */
    public GenericTrm(TrmWeights weights) {
        this.w = dev.unroll.runtime.internal.Checks.notNull("GenericTrm: weights", weights);
        this.s = weights.spec();
        this.h = s.hidden();
        this.l = s.sequence();
    }

    @Override
    public TrmSpec spec() {
        return s;
    }

    @Override
    public String implementation() {
        return "generic engine (f32, run-time dims)";
    }

    @Override
    public TrmCarry initialCarry(int batch) {
        return TrmCarry.initial(w, batch);
    }

    @Override
    public float[] embed(int[] tokens, int batch) {
        int ctx = s.context();
        Checks.notNull("embed: tokens", tokens);
        Checks.positive("embed: batch", batch);
        if (tokens.length != (long) batch * ctx) {
            throw new ShapeMismatchException("tokens", new long[] {batch, ctx}, new long[] {tokens.length});
        }
        float scale = (float) Math.sqrt(h);
        float[] e = w.get("input_embedding.token_embedding.weight");
        float[] prefix = w.get("input_embedding.summary_token");
        float[] x = new float[batch * l * h];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < l; p++) {
                int dst = (b * l + p) * h;
                int src;
                float[] from;
                if (p < s.prefix()) {
                    from = prefix;
                    src = p * h;
                } else {
                    int tok = tokens[b * ctx + p - s.prefix()];
                    if (tok < 0 || tok >= s.vocab()) {
                        throw new dev.unroll.runtime.UnrollException("token " + tok + " at [" + b + "][" + (p - s.prefix()) + "] is outside the vocabulary");
                    }
                    from = e;
                    src = tok * h;
                }
                for (int i = 0; i < h; i++) {
                    x[dst + i] = scale * from[src + i];
                }
            }
        }
        return x;
    }

    @Override
    public TrmStep step(int[] tokens, TrmCarry carry) {
        int batch = Checks.notNull("step: the carry", carry).batch();
        long values = (long) batch * l * h;
        if (carry.y().length != values) {
            throw new dev.unroll.runtime.ShapeMismatchException("carry.y", new long[] {batch, l, h}, new long[] {carry.y().length});
        }
        float[] x = embed(tokens, batch);
        float[] y = carry.y();
        float[] z = carry.z();
        int n = batch * l * h;
        float[] in = new float[n];
        for (int cycle = 0; cycle < s.cycles(); cycle++) {
            for (int step = 0; step < s.latentSteps(); step++) {
                for (int i = 0; i < n; i++) {
                    in[i] = (x[i] + y[i]) + z[i];
                }
                network(in, batch, z);
            }
            for (int i = 0; i < n; i++) {
                in[i] = y[i] + z[i];
            }
            network(in, batch, y);
        }
        return heads(y, batch);
    }

    /** Output head on the non-prefix positions, Q head on position 0. */
    @Override
    public TrmStep heads(float[] y, int batch) {
        Checks.positive("batch", batch);
        Checks.length("y", y, batch * l * h);
        int ctx = s.context();
        int v = s.vocab();
        int q = s.haltOutputs();
        float[] wo = w.get("output_head.proj.weight");
        float[] wq = w.get("q_head.proj.weight");
        float[] bq = w.get("q_head.proj.bias");
        float[] logits = new float[batch * ctx * v];
        float[] halt = new float[batch * q];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < ctx; t++) {
                int row = (b * l + s.prefix() + t) * h;
                for (int o = 0; o < v; o++) {
                    logits[(b * ctx + t) * v + o] = dot(y, row, wo, o * h, h);
                }
            }
            for (int o = 0; o < q; o++) {
                halt[b * q + o] = dot(y, b * l * h, wq, o * h, h) + bq[o];
            }
        }
        return new TrmStep(logits, halt);
    }

    @Override
    public void network(float[] in, int batch, float[] out) {
        network(in, batch, out, null);
    }

    @Override
    public void network(float[] in, int batch, float[] out, LayerObserver observer) {
        int n = batch * l * h;
        Checks.length("in", in, n);
        Checks.length("out", out, n);
        float[] hs = in == out ? out : in.clone();
        float[] delta = new float[n];
        for (int layer = 0; layer < s.layers(); layer++) {
            if (s.mixer() == TokenMixer.MLP) {
                mixer(hs, batch, layer, delta);
            } else {
                attention(hs, batch, layer, delta);
            }
            residualNorm(hs, delta, batch * l);
            mlp(hs, batch * l, layer, delta);
            residualNorm(hs, delta, batch * l);
            if (observer != null) {
                observer.afterLayer(layer, hs);
            }
        }
        if (hs != out) {
            System.arraycopy(hs, 0, out, 0, n);
        }
    }

    /** MLP-mixer over the sequence axis: per batch and channel, SwiGLU over the L positions. */
    void mixer(float[] hs, int batch, int layer, float[] delta) {
        int mi = s.mixerIntermediate();
        float[] gu = w.layer(layer, "mixer.swiglu.gate_up_proj.weight");
        float[] down = w.layer(layer, "mixer.swiglu.down_proj.weight");
        Parallel.forEach(batch, b -> {
            float[] g = new float[2 * mi * h];
            int base = b * l * h;
            // g[m][c] = sum_p gu[m][p] * hs[b][p][c]
            for (int m = 0; m < 2 * mi; m++) {
                for (int p = 0; p < l; p++) {
                    float a = gu[m * l + p];
                    int src = base + p * h;
                    for (int c = 0; c < h; c++) {
                        g[m * h + c] += a * hs[src + c];
                    }
                }
            }
            float[] act = new float[mi * h];
            for (int i = 0; i < mi * h; i++) {
                act[i] = silu(g[i]) * g[mi * h + i];
            }
            // delta[b][p][c] = sum_m down[p][m] * act[m][c]
            for (int p = 0; p < l; p++) {
                int dst = base + p * h;
                java.util.Arrays.fill(delta, dst, dst + h, 0f);
                for (int m = 0; m < mi; m++) {
                    float a = down[p * mi + m];
                    for (int c = 0; c < h; c++) {
                        delta[dst + c] += a * act[m * h + c];
                    }
                }
            }
        });
    }

    /** Non-causal multi-head self-attention with rotate-half RoPE over positions 0..L-1. */
    void attention(float[] hs, int batch, int layer, float[] delta) {
        int heads = s.heads();
        int hd = s.headWidth();
        float[] qkvW = w.layer(layer, "self_attn.qkv_proj.weight");
        float[] oW = w.layer(layer, "self_attn.o_proj.weight");
        float scale = (float) (1.0 / Math.sqrt(hd));
        Parallel.forEach(batch, b -> {
            int base = b * l * h;
            float[] qkv = new float[l * 3 * h];
            for (int p = 0; p < l; p++) {
                for (int o = 0; o < 3 * h; o++) {
                    qkv[p * 3 * h + o] = dot(hs, base + p * h, qkvW, o * h, h);
                }
            }
            for (int p = 0; p < l; p++) {
                for (int hh = 0; hh < heads; hh++) {
                    rope(qkv, p * 3 * h + hh * hd, hd, p);
                    rope(qkv, p * 3 * h + h + hh * hd, hd, p);
                }
            }
            float[] o = new float[l * h];
            float[] scores = new float[l];
            for (int hh = 0; hh < heads; hh++) {
                for (int p = 0; p < l; p++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < l; j++) {
                        scores[j] = dot(qkv, p * 3 * h + hh * hd, qkv, j * 3 * h + h + hh * hd, hd) * scale;
                        max = Math.max(max, scores[j]);
                    }
                    float sum = 0;
                    for (int j = 0; j < l; j++) {
                        scores[j] = (float) Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j < l; j++) {
                        float pj = scores[j] / sum;
                        for (int i = 0; i < hd; i++) {
                            o[p * h + hh * hd + i] += pj * qkv[j * 3 * h + 2 * h + hh * hd + i];
                        }
                    }
                }
            }
            for (int p = 0; p < l; p++) {
                for (int c = 0; c < h; c++) {
                    delta[base + p * h + c] = dot(o, p * h, oW, c * h, h);
                }
            }
        });
    }

    /** Rotate-half RoPE: pairs (x[i], x[i + d/2]) rotated by position * theta^(-2i/d). */
    private void rope(float[] x, int off, int d, int pos) {
        int half = d / 2;
        for (int i = 0; i < half; i++) {
            double freq = Math.pow(s.ropeTheta(), -2.0 * i / d);
            double ang = pos * freq;
            float c = (float) Math.cos(ang);
            float sn = (float) Math.sin(ang);
            float a = x[off + i];
            float b2 = x[off + half + i];
            x[off + i] = a * c - b2 * sn;
            x[off + half + i] = b2 * c + a * sn;
        }
    }

    /** Channel SwiGLU per position. */
    void mlp(float[] hs, int rows, int layer, float[] delta) {
        int inter = s.mlpIntermediate();
        float[] gu = w.layer(layer, "mlp.gate_up_proj.weight");
        float[] down = w.layer(layer, "mlp.down_proj.weight");
        Parallel.forEach(rows, r -> {
            float[] act = new float[inter];
            for (int m = 0; m < inter; m++) {
                float gate = dot(hs, r * h, gu, m * h, h);
                float up = dot(hs, r * h, gu, (inter + m) * h, h);
                act[m] = silu(gate) * up;
            }
            for (int c = 0; c < h; c++) {
                delta[r * h + c] = dot(act, 0, down, c * inter, inter);
            }
        });
    }

    /** hs = rms_norm(hs + delta) per row. */
    void residualNorm(float[] hs, float[] delta, int rows) {
        float eps = (float) s.normEps();
        for (int r = 0; r < rows; r++) {
            int o = r * h;
            float ss = 0;
            for (int i = 0; i < h; i++) {
                float v = hs[o + i] + delta[o + i];
                hs[o + i] = v;
                ss += v * v;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / h + eps));
            for (int i = 0; i < h; i++) {
                hs[o + i] *= inv;
            }
        }
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}

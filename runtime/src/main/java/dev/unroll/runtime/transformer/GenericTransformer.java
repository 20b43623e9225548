package dev.unroll.runtime.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;

/**
 * Runs any Llama-family decoder with run-time dimensions in plain f32 loops that follow llama2.c's
 * {@code run.c} operation by operation (sequential dot products, RMS norm as
 * {@code w * (x / sqrt(mean(x^2) + eps))}, softmax with the maximum subtracted): the oracle of the
 * generated models and the generic baseline of the benchmarks.
 */
public final class GenericTransformer implements TransformerModel {
    private final TransformerSpec s;
    private final TransformerWeights w;
    private final float[] cos;
    private final float[] sin;

    /** @param weights the model's weights */
    public GenericTransformer(TransformerWeights weights) {
        // the reference engine reads every matrix on every token: weights opened from a file are read in now
        this.w = dev.unroll.runtime.internal.Checks.notNull("GenericTransformer: weights", weights).resident();
        this.s = weights.spec();
        int hs = s.headWidth();
        cos = new float[s.maxSeq() * hs / 2];
        sin = new float[s.maxSeq() * hs / 2];
        ropeTables(s, cos, sin);
    }

    /**
     * run.c's RoPE angles in float: {@code freq_i = 1 / theta^(2i / hs)}, angle = pos * freq_i; with
     * Llama 3's scaling ({@code ropeScaling} not 1) each frequency scaled first.
     *
     * @param s the model
     * @param cos receives cos [maxSeq][hs/2]
     * @param sin receives sin [maxSeq][hs/2]
     */
    public static void ropeTables(TransformerSpec s, float[] cos, float[] sin) {
        Checks.notNull("GenericTransformer.ropeTables: spec", s);
        int hs = s.headWidth();
        int half = hs / 2;
        long need = (long) s.maxSeq() * half;
        Checks.atLeast("GenericTransformer.ropeTables: cos", cos, need);
        Checks.atLeast("GenericTransformer.ropeTables: sin", sin, need);
        float[] freqs = ropeFrequencies(s);
        for (int p = 0; p < s.maxSeq(); p++) {
            for (int i = 0; i < half; i++) {
                float freq = freqs[i];
                float val = p * freq;
                cos[p * half + i] = (float) Math.cos(val);
                sin[p * half + i] = (float) Math.sin(val);
            }
        }
    }

    /**
     * @param s the model
     * @return its rotary frequencies, one per pair of a head's channels: {@code 1 / theta^(2i / hs)} in
     *     float, as run.c computes them, each scaled as Llama 3 scales it when {@code ropeScaling} is not 1
     */
    public static float[] ropeFrequencies(TransformerSpec s) {
        Checks.notNull("GenericTransformer.ropeFrequencies: spec", s);
        int hs = s.headWidth();
        float[] freqs = new float[hs / 2];
        for (int i = 0; i < freqs.length; i++) {
            float freq = 1.0f / (float) Math.pow((float) s.ropeTheta(), (2 * i) / (float) hs);
            freqs[i] = s.ropeScaling() == 1.0 ? freq : llama3(s, freq);
        }
        return freqs;
    }

    /**
     * Llama 3's scaling of one frequency, in F32 as Hugging Face computes it: a wavelength above
     * {@code original / lowFreqFactor} is divided by the factor, one below {@code original / highFreqFactor}
     * kept, one between interpolated by {@code (original / wavelength - low) / (high - low)}.
     */
    private static float llama3(TransformerSpec s, float freq) {
        float factor = (float) s.ropeScaling();
        float low = s.get(TransformerSpec.ROPE_LOW_FREQ_FACTOR).floatValue();
        float high = s.get(TransformerSpec.ROPE_HIGH_FREQ_FACTOR).floatValue();
        float original = s.get(TransformerSpec.ROPE_ORIGINAL_MAX_SEQ);
        float wavelength = (float) (2 * Math.PI) / freq;
        if (wavelength < original / high) {
            return freq;
        }
        if (wavelength > original / low) {
            return freq / factor;
        }
        float smooth = (original / wavelength - low) / (high - low);
        return (1 - smooth) * freq / factor + smooth * freq;
    }

    @Override
    public TransformerSpec spec() {
        return s;
    }

    @Override
    public String implementation() {
        return "generic engine (f32, run-time dims)";
    }

    @Override
    public void embed(int token, float[] x) {
        Checks.length("embed: x", x, s.width());
        if (token < 0 || token >= s.vocab()) {
            throw new UnrollException("token " + token + " is outside the vocabulary [0, " + s.vocab() + ")");
        }
        System.arraycopy(w.get("model.embed_tokens.weight"), token * s.width(), x, 0, s.width());
    }

    @Override
    public void layer(int l, float[] x, int pos, KvCache cache, Hooks hooks, int pass) {
        int d = s.width();
        int kv = s.kvWidth();
        int hs = s.headWidth();
        int f = s.ffnHidden();
        if (pos < 0 || pos >= s.maxSeq()) {
            throw new UnrollException("position " + pos + " is outside the KV cache [0, " + s.maxSeq() + ")");
        }
        ModelArguments.layer(s, l, x, cache, pass);
        if (hooks != null) {
            hooks.fire(HookPoint.RESID_PRE, l, pass, pos, x);
        }
        float[] xb = new float[d];
        rmsnorm(xb, x, w.layer(l, "input_layernorm.weight"), d);
        int qd = s.queryWidth();
        float[] q = new float[qd];
        matvec(q, xb, w.layer(l, "self_attn.q_proj.weight"), d, qd);
        float[] k = new float[kv];
        matvec(k, xb, w.layer(l, "self_attn.k_proj.weight"), d, kv);
        float[] v = new float[kv];
        matvec(v, xb, w.layer(l, "self_attn.v_proj.weight"), d, kv);
        if (s.qkvBias()) {
            addBias(q, w.layer(l, "self_attn.q_proj.bias"));
            addBias(k, w.layer(l, "self_attn.k_proj.bias"));
            addBias(v, w.layer(l, "self_attn.v_proj.bias"));
        }
        if (s.qkNorm()) {
            headNorm(q, w.layer(l, "self_attn.q_norm.weight"));
            headNorm(k, w.layer(l, "self_attn.k_norm.weight"));
        }
        rope(q, qd, pos);
        rope(k, kv, pos);
        cache.checkPosition(pos);
        System.arraycopy(k, 0, cache.k, pos * kv, kv);
        System.arraycopy(v, 0, cache.v, pos * kv, kv);
        float[] att = new float[pos + 1];
        float[] o = new float[qd];
        float scale = (float) Math.sqrt(hs);
        for (int h = 0; h < s.heads(); h++) {
            int kh = h / s.groupSize();
            for (int t = 0; t <= pos; t++) {
                float score = 0;
                for (int i = 0; i < hs; i++) {
                    score += q[h * hs + i] * cache.k[t * kv + kh * hs + i];
                }
                att[t] = score / scale;
            }
            Sampler.softmax(att);
            for (int t = 0; t <= pos; t++) {
                float a = att[t];
                for (int i = 0; i < hs; i++) {
                    o[h * hs + i] += a * cache.v[t * kv + kh * hs + i];
                }
            }
        }
        float[] attnOut = new float[d];
        matvec(attnOut, o, w.layer(l, "self_attn.o_proj.weight"), qd, d);
        if (hooks != null) {
            hooks.fire(HookPoint.ATTN_OUT, l, pass, pos, attnOut);
        }
        for (int i = 0; i < d; i++) {
            x[i] += attnOut[i];
        }
        if (hooks != null) {
            hooks.fire(HookPoint.RESID_MID, l, pass, pos, x);
        }
        rmsnorm(xb, x, w.layer(l, "post_attention_layernorm.weight"), d);
        float[] h1 = new float[f];
        float[] h3 = new float[f];
        matvec(h1, xb, w.layer(l, "mlp.gate_proj.weight"), d, f);
        matvec(h3, xb, w.layer(l, "mlp.up_proj.weight"), d, f);
        for (int i = 0; i < f; i++) {
            float g = h1[i];
            h1[i] = g * (1.0f / (1.0f + (float) Math.exp(-g))) * h3[i];
        }
        float[] mlpOut = new float[d];
        matvec(mlpOut, h1, w.layer(l, "mlp.down_proj.weight"), f, d);
        if (hooks != null) {
            hooks.fire(HookPoint.MLP_OUT, l, pass, pos, mlpOut);
        }
        for (int i = 0; i < d; i++) {
            x[i] += mlpOut[i];
        }
        if (hooks != null) {
            hooks.fire(HookPoint.RESID_POST, l, pass, pos, x);
        }
    }

    @Override
    public void logits(float[] x, int pos, float[] logits, Hooks hooks) {
        ModelArguments.logits(s, x, logits);
        float[] xn = new float[s.width()];
        rmsnorm(xn, x, w.get("model.norm.weight"), s.width());
        if (hooks != null) {
            hooks.fire(HookPoint.FINAL_NORM, -1, 1, pos, xn);
        }
        matvec(logits, xn, w.classifier(), s.width(), s.vocab());
    }

    private void rope(float[] v, int n, int pos) {
        int hs = s.headWidth();
        int half = hs / 2;
        for (int h = 0; h < n / hs; h++) {
            for (int i = 0; i < half; i++) {
                float c = cos[pos * half + i];
                float sn = sin[pos * half + i];
                int a = s.rope() == RopeLayout.INTERLEAVED ? h * hs + 2 * i : h * hs + i;
                int b = s.rope() == RopeLayout.INTERLEAVED ? a + 1 : a + half;
                float v0 = v[a];
                float v1 = v[b];
                v[a] = v0 * c - v1 * sn;
                v[b] = v0 * sn + v1 * c;
            }
        }
    }

    private static void addBias(float[] v, float[] bias) {
        for (int i = 0; i < v.length; i++) {
            v[i] += bias[i];
        }
    }

    /** Qwen3's RMSNorm of each head of {@code v} in place, with one weight of head width. */
    private void headNorm(float[] v, float[] weight) {
        int hs = s.headWidth();
        float[] head = new float[hs];
        for (int h = 0; h < v.length / hs; h++) {
            System.arraycopy(v, h * hs, head, 0, hs);
            rmsnorm(head, head, weight, hs);
            System.arraycopy(head, 0, v, h * hs, hs);
        }
    }

    private void rmsnorm(float[] o, float[] x, float[] weight, int n) {
        float ss = 0;
        for (int i = 0; i < n; i++) {
            ss += x[i] * x[i];
        }
        ss /= n;
        ss += (float) s.normEps();
        ss = 1.0f / (float) Math.sqrt(ss);
        for (int i = 0; i < n; i++) {
            o[i] = weight[i] * (ss * x[i]);
        }
    }

    private static void matvec(float[] out, float[] x, float[] w, int n, int rows) {
        for (int r = 0; r < rows; r++) {
            float val = 0;
            for (int j = 0; j < n; j++) {
                val += w[r * n + j] * x[j];
            }
            out[r] = val;
        }
    }
}

package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.Arrays;

/**
 * run.c's sampler, seedable: temperature 0 is greedy (argmax, ties to the lowest index); otherwise
 * softmax of logits / temperature, then a multinomial draw, restricted to the smallest set of tokens
 * whose probability reaches {@code topP} when {@code 0 < topP < 1}. Random numbers are run.c's
 * xorshift* ({@code state ^= state >>> 12; state ^= state << 25; state ^= state >>> 27;
 * (state * 0x2545F4914F6CDD1D) >>> 32}).
 */
public final class Sampler {
    private final float temperature;
    private final float topP;
    private long state;

    /**
     * @param temperature 0 for greedy
     * @param topP nucleus threshold; 0 or 1 disables it
     * @param seed random seed (not 0)
     */
    public Sampler(float temperature, float topP, long seed) {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new UnrollException("temperature (" + temperature + ") must be finite and >= 0");
        }
        if (!(topP >= 0 && topP <= 1)) {
            throw new UnrollException("topP (" + topP + ") must be in [0, 1]");
        }
        if (seed == 0) {
            throw new UnrollException("seed must not be 0: xorshift* stays at 0");
        }
        this.temperature = temperature;
        this.topP = topP;
        this.state = seed;
    }

    /** @return a greedy sampler */
    public static Sampler greedy() {
        return new Sampler(0f, 0f, 1);
    }

    private int nextInt() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return (int) ((state * 0x2545F4914F6CDD1DL) >>> 32);
    }

    private float nextFloat() {
        return (nextInt() >>> 8) / 16777216.0f;
    }

    /**
     * @param logits scores over the vocabulary (modified when sampling)
     * @return the token
     */
    public int sample(float[] logits) {
        nonEmpty("Sampler.sample: logits", logits);
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new UnrollException("logit " + i + " is " + logits[i] + ": the model produced a non-finite value, there is no token to sample");
            }
        }
        if (temperature == 0f) {
            return argmax(logits);
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= temperature;
        }
        softmax(logits);
        float coin = nextFloat();
        if (topP <= 0 || topP >= 1) {
            float cdf = 0;
            for (int i = 0; i < logits.length; i++) {
                cdf += logits[i];
                if (coin < cdf) {
                    return i;
                }
            }
            return logits.length - 1;
        }
        return nucleus(logits, coin);
    }

    private int nucleus(float[] p, float coin) {
        int n = p.length;
        float cutoff = (1.0f - topP) / (n - 1);
        Integer[] idx = new Integer[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] >= cutoff) {
                idx[m++] = i;
            }
        }
        Integer[] cand = Arrays.copyOf(idx, m);
        Arrays.sort(cand, (a, b) -> Float.compare(p[b], p[a]));
        float cum = 0;
        int last = m - 1;
        for (int i = 0; i < m; i++) {
            cum += p[cand[i]];
            if (cum > topP) {
                last = i;
                break;
            }
        }
        float r = coin * cum;
        float cdf = 0;
        for (int i = 0; i <= last; i++) {
            cdf += p[cand[i]];
            if (r < cdf) {
                return cand[i];
            }
        }
        return cand[last];
    }

    /**
     * @param x logits
     * @return the index of the first maximum
     */
    public static int argmax(float[] x) {
        nonEmpty("Sampler.argmax: x", x);
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** @param x values, replaced by their softmax (max-subtracted, as run.c) */
    public static void softmax(float[] x) {
        nonEmpty("Sampler.softmax: x", x);
        float max = x[0];
        for (float v : x) {
            max = Math.max(max, v);
        }
        float sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= sum;
        }
    }

    /** An empty vector has no largest element and no token: an error, not token 0. */
    private static void nonEmpty(String what, float[] x) {
        if (dev.unroll.runtime.internal.Checks.notNull(what, x).length == 0) {
            throw new UnrollException(what + " is empty: there is no token to choose");
        }
    }
}

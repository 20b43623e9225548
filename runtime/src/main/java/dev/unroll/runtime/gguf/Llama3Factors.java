package dev.unroll.runtime.gguf;

import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerSpec;

/**
 * Llama 3's RoPE scaling as a GGUF file stores it: llama.cpp's converter writes no scaling keys but a
 * tensor {@code rope_freqs.weight} of one divisor per rotary frequency, computed from the
 * configuration's {@code factor}, {@code low_freq_factor}, {@code high_freq_factor} and
 * {@code original_max_position_embeddings}. Those four are read back here: the factor is the largest
 * divisor, and the other three are the first of the published models' combinations (and powers of two
 * for the context) that give every divisor again within F32 rounding. A file whose divisors no Llama 3
 * scaling gives is refused: the kernels compute that scaling, not arbitrary divisors.
 */
final class Llama3Factors {
    /** (low, high) pairs tried, the published models' first. */
    private static final double[][] BANDS = {{1, 4}, {1, 2}, {2, 4}, {1, 8}, {2, 8}, {4, 8}};

    private Llama3Factors() {}

    static TransformerSpec read(GgufFile f, TransformerSpec spec) {
        GgufTensor t = f.tensor(GgufModel.ROPE_FREQS);
        int half = spec.headWidth() / 2;
        if (t.dims().length != 1 || t.dims()[0] != half) {
            throw new GgufFormatException(f.source() + ": tensor '" + GgufModel.ROPE_FREQS + "' has dimensions " + java.util.Arrays.toString(t.dims())
                    + ", not one divisor per rotary frequency [" + half + "]");
        }
        float[] divisors = f.floats(GgufModel.ROPE_FREQS);
        double factor = 0;
        for (float d : divisors) {
            if (!(d >= 1 && d < 1e6)) {
                throw new GgufFormatException(f.source() + ": tensor '" + GgufModel.ROPE_FREQS + "' holds the divisor " + d + " (Llama 3's are 1 to the factor)");
            }
            factor = Math.max(factor, d);
        }
        if (factor == 1) {
            return spec;
        }
        for (double[] band : BANDS) {
            for (int original = 2; original <= (1 << 24); original *= 2) {
                TransformerSpec s = spec.with(TransformerSpec.ROPE_SCALING, factor).with(TransformerSpec.ROPE_LOW_FREQ_FACTOR, band[0])
                        .with(TransformerSpec.ROPE_HIGH_FREQ_FACTOR, band[1]).with(TransformerSpec.ROPE_ORIGINAL_MAX_SEQ, original);
                if (gives(s, divisors)) {
                    return s;
                }
            }
        }
        throw new GgufFormatException(f.source() + ": tensor '" + GgufModel.ROPE_FREQS + "' holds divisors that no Llama 3 scaling gives "
                + "(factor " + factor + "; the kernels compute Llama 3's scaling, not arbitrary divisors)");
    }

    /** Whether the scaling of {@code s} divides each unscaled frequency by the file's divisor, within F32 rounding. */
    private static boolean gives(TransformerSpec s, float[] divisors) {
        float[] scaled = GenericTransformer.ropeFrequencies(s);
        float[] plain = GenericTransformer.ropeFrequencies(s.with(TransformerSpec.ROPE_SCALING, 1.0));
        for (int i = 0; i < divisors.length; i++) {
            double want = plain[i] / divisors[i];
            if (Math.abs(scaled[i] - want) > 1e-5 * Math.abs(want)) {
                return false;
            }
        }
        return true;
    }
}

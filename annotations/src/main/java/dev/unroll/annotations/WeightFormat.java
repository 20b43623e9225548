package dev.unroll.annotations;

/**
 * How a generated kernel stores its weight matrices. Weights from safetensors (F32/BF16/F16) and
 * llama2.c checkpoints are loaded as 32-bit floats and converted once, at load time; a GGUF file's
 * Q8_0 and Q4_0 matrices keep their codes in a model of the same format. The kernels read the compact
 * form and widen each weight to a float in registers. A compact format reads
 * fewer bytes per token, which is what bounds a single stream once the weights outgrow the caches.
 * Norm weights, embeddings and state stay 32-bit.
 */
public enum WeightFormat {
    /** 32-bit floats: exact, 4 bytes per weight. */
    F32,
    /**
     * bfloat16 (the top 16 bits of a float, rounded to nearest even): 2 bytes per weight, 8
     * significant bits; widened to a float by a 16-bit shift.
     */
    BF16,
    /**
     * 8-bit integers in blocks of 32 consecutive weights of a row (along the reduction dimension),
     * each block with one scale ({@code max|w| / 127}, rounded to binary16), as llama.cpp's Q8_0:
     * 1.125 bytes per weight with the scales.
     */
    Q8,
    /**
     * 4-bit codes in blocks of 32 consecutive weights of a row, each block with one scale, as
     * llama.cpp's Q4_0: the scale {@code d} is the block's weight of largest magnitude divided by
     * -8 (rounded to binary16), a weight is {@code (q - 8) d} for its code {@code q} in [0, 15].
     * Two codes per byte: 0.625 bytes per weight with the scales.
     */
    Q4
}

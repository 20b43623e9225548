package dev.unroll.annotations;

/** Which pairs of a head's channels RoPE rotates together. */
public enum RopeLayout {
    /** Adjacent pairs {@code (x[2i], x[2i+1])}, as llama2.c. */
    INTERLEAVED,
    /** Halves {@code (x[i], x[i + d/2])}, as Hugging Face's {@code rotate_half}. */
    HALF_SPLIT
}

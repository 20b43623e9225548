package dev.unroll.annotations;

/** How a Tiny Recursive Model mixes information across sequence positions. */
public enum TokenMixer {
    /** A SwiGLU over the sequence axis (MLP-mixer), as the seed model and the original's {@code mlp_t}. */
    MLP,
    /** Non-causal multi-head self-attention with RoPE, the original TRM's default. */
    ATTENTION
}

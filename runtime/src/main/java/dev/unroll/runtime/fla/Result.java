package dev.unroll.runtime.fla;

/**
 * What an fla op returns: the output and, when asked for ({@code output_final_state}), the final
 * state; {@code finalState} is null otherwise.
 *
 * @param o the output, in the op's layout
 * @param finalState the final state ({@code [B, H, K, V]}, or the op's own state layout), or null
 */
public record Result(Tensor o, Tensor finalState) {}

package dev.unroll.runtime.internal.ops;

/**
 * Outputs and final state of a recurrence call.
 *
 * @param outputs {@code o}, layout {@code [T][H][V]}
 * @param finalState the state after the last token, in the op's state layout
 */
public record Result(double[] outputs, double[] finalState) {}

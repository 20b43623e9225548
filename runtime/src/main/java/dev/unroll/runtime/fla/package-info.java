/**
 * The linear-attention recurrences with flash-linear-attention's names, layouts and conventions
 * ({@link dev.unroll.runtime.fla.Fla}): for porting PyTorch calls and checking against fla.
 */
package dev.unroll.runtime.fla;

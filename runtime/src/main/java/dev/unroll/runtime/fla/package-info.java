/**
 * flash-linear-attention's conventions: the linear-attention recurrences with its names, layouts and
 * gates ({@link dev.unroll.runtime.fla.Fla}), for porting PyTorch calls and checking against fla; and
 * its published {@code GatedDeltaNet} layer ({@link dev.unroll.runtime.fla.GatedDeltaNetLayer}), loaded
 * from an fla checkpoint by its {@code state_dict} names.
 */
package dev.unroll.runtime.fla;

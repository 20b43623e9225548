/**
 * The Tiny Recursive Model: {@link dev.unroll.runtime.trm.TrmSpec},
 * {@link dev.unroll.runtime.trm.TrmWeights}, {@link dev.unroll.runtime.trm.TrmModel} (a generated
 * model or the {@link dev.unroll.runtime.trm.GenericTrm generic engine}), the carried state
 * {@link dev.unroll.runtime.trm.TrmCarry}, ACT through {@link dev.unroll.runtime.trm.TrmRunners},
 * and {@link dev.unroll.runtime.trm.Sudoku} helpers.
 *
 * <p>Models, specs and weights are immutable and thread-safe (each calling thread computes in its own
 * buffers); a carry and a runner belong to one thread at a time.
 */
package dev.unroll.runtime.trm;

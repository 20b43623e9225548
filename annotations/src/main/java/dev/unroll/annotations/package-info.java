/**
 * Descriptor annotations read by the Unroll annotation processor.
 *
 * <p>Put one family annotation on a type of your own (an empty interface is enough). The
 * processor validates it at compile time and generates shape-specialised kernels next to it:
 * {@link dev.unroll.annotations.LinearAttention}, {@link dev.unroll.annotations.TinyRecursiveModel},
 * {@link dev.unroll.annotations.Transformer} (optionally with {@link dev.unroll.annotations.RecurrentPass}).
 */
package dev.unroll.annotations;

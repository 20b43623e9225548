/**
 * What generated code extends and calls: the base classes of generated layers and models, the
 * packing of fused and compact weights, and the few helpers generated host code calls. Exported to
 * every module because generated classes live in users' packages; not for hand-written code, and it
 * changes with the processor that generates against it (use the same Unroll version for both).
 *
 * <p>It sits above the API: it imports the API and the support layer, and nothing in the API imports it.
 */
package dev.unroll.runtime.codegen;

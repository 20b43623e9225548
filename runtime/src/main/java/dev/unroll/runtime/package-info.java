/**
 * Unroll's runtime: what generated kernels and the code that uses them link against.
 *
 * <p>The user API is the families' packages ({@link dev.unroll.runtime.attention},
 * {@link dev.unroll.runtime.trm}, {@link dev.unroll.runtime.transformer}), the kernel
 * {@link dev.unroll.runtime.registry registry}, {@link dev.unroll.runtime.backend backend} selection,
 * {@link dev.unroll.runtime.safetensors safetensors} and {@link dev.unroll.runtime.weights weight}
 * loading, descriptor {@link dev.unroll.runtime.spec findings}, and this package's
 * {@link dev.unroll.runtime.Flavour} and exceptions. {@link dev.unroll.runtime.codegen} is what
 * generated code extends and calls (exported, not for hand-written code); {@code internal} (support
 * below the API) and {@code golden} are not exported to users' modules and change without notice.
 *
 * <p>Thread-safety, the same in every family: specs, weights, layers and models are immutable after
 * construction and may be shared by any number of threads; per-stream state
 * ({@code AttentionState}, {@code TrmCarry}, {@code KvCache}) and runners belong to one thread at a
 * time.
 */
package dev.unroll.runtime;

/**
 * Streaming linear attention: {@link dev.unroll.runtime.attention.AttentionSpec} (the descriptor at
 * run time), {@link dev.unroll.runtime.attention.AttentionWeights},
 * {@link dev.unroll.runtime.attention.LinearAttentionLayer} (a generated layer or the
 * {@link dev.unroll.runtime.attention.GenericLinearAttention generic engine}),
 * {@link dev.unroll.runtime.attention.AttentionState} (one stream's state) and
 * {@link dev.unroll.runtime.attention.LinearAttentionRunners} (sequences on a backend). What each
 * mode means is in {@link dev.unroll.runtime.attention.mode}.
 *
 * <p>Layers, specs and weights are immutable and thread-safe; a state is used by one thread at a time.
 */
package dev.unroll.runtime.attention;

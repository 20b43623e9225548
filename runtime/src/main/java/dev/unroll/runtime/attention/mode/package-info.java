/**
 * The typed keys of the attention modes' own {@code @LinearAttention} members, for the builder and
 * the spec: {@code AttentionSpec.builder(RETNET, 64).set(RetNetMode.GAMMA, 0.9)},
 * {@code spec.get(LogLinearMode.MAX_LEVELS)}. Each key is a {@link dev.unroll.runtime.spec.Parameter}
 * with the member's default, range and reference key. Immutable constants.
 */
package dev.unroll.runtime.attention.mode;

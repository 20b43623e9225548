package dev.unroll.processor.model;

import dev.unroll.runtime.attention.AttentionSpec;

/**
 * A validated {@code @LinearAttention} descriptor.
 *
 * @param source where it was declared
 * @param spec the resolved spec
 */
public record LinearAttentionDescriptor(DescriptorSource source, AttentionSpec spec) {}

package dev.unroll.processor.model;

import dev.unroll.runtime.transformer.TransformerSpec;

/**
 * A validated {@code @Transformer} descriptor, with its {@code @RecurrentPass} block if any.
 *
 * @param source where it was declared
 * @param spec the resolved spec
 */
public record TransformerDescriptor(DescriptorSource source, TransformerSpec spec) {}

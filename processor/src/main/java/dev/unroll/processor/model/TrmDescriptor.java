package dev.unroll.processor.model;

import dev.unroll.runtime.trm.TrmSpec;

/**
 * A validated {@code @TinyRecursiveModel} descriptor.
 *
 * @param source where it was declared
 * @param spec the resolved spec
 */
public record TrmDescriptor(DescriptorSource source, TrmSpec spec) {}

package dev.unroll.processor.plan;

import dev.unroll.processor.model.TransformerDescriptor;

/**
 * The plan of one decoder: the kernels of one token's layer, final norm and classifier.
 *
 * @param descriptor the descriptor planned
 * @param kernels the kernel class
 */
public record TransformerPlan(TransformerDescriptor descriptor, KernelPlan kernels) implements FamilyPlan {}

package dev.unroll.processor.plan;

import dev.unroll.processor.model.TrmDescriptor;

/**
 * The plan of one Tiny Recursive Model: its kernel class (one method per operation of a layer,
 * each over a range of rows so that callers can split it across threads).
 *
 * @param descriptor the descriptor planned
 * @param kernels the kernel class
 */
public record TrmPlan(TrmDescriptor descriptor, KernelPlan kernels) implements FamilyPlan {}

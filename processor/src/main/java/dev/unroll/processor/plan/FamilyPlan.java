package dev.unroll.processor.plan;

/** What every family's plan has: the kernel class the check stage inspects and the emitters write. */
public interface FamilyPlan {
    /** @return the kernel plan */
    KernelPlan kernels();
}

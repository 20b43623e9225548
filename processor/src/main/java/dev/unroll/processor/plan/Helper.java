package dev.unroll.processor.plan;

/**
 * A private static scalar helper emitted into the kernel class (sigmoid, softplus, ...): its text
 * is fixed per precision by the emitter.
 */
public enum Helper {
    /** The reference's two-branch sigmoid. */
    SIGMOID,
    /** The reference's thresholded softplus. */
    SOFTPLUS,
    /** RWKV's decay from a gate logit: exp(-w) with w = -ln(exp(-(base + softplus(z)))) (or 50). */
    RWKV_DECAY,
    /** LogLinear's binary-counter push of one head's leaf. */
    PUSH_LEAF,
    /** LogLinear's mask after one push. */
    NEXT_MASK;

    /** @return the helpers this one calls */
    public java.util.Set<Helper> requires() {
        return this == RWKV_DECAY ? java.util.EnumSet.of(SOFTPLUS) : java.util.EnumSet.noneOf(Helper.class);
    }
}

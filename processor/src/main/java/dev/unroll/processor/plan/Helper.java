package dev.unroll.processor.plan;

/**
 * A private static scalar helper emitted into the kernel class (sigmoid, softplus, ...): its text
 * is fixed per precision by the emitter.
 */
public enum Helper implements Callee {
    /** The reference's two-branch sigmoid. */
    SIGMOID("sigmoid"),
    /** The reference's thresholded softplus. */
    SOFTPLUS("softplus"),
    /** RWKV's decay from a gate logit: exp(-w) with w = -ln(exp(-(base + softplus(z)))) (or 50). */
    RWKV_DECAY("rwkvDecay"),
    /** LogLinear's binary-counter push of one head's leaf. */
    PUSH_LEAF("pushLeaf"),
    /** LogLinear's mask after one push. */
    NEXT_MASK("nextMask");

    private final String javaName;

    Helper(String javaName) {
        this.javaName = javaName;
    }

    @Override
    public String javaName() {
        return javaName;
    }

    /** @return the helpers this one calls */
    public java.util.Set<Helper> requires() {
        return this == RWKV_DECAY ? java.util.EnumSet.of(SOFTPLUS) : java.util.EnumSet.noneOf(Helper.class);
    }
}

package dev.unroll.runtime.trm;

/**
 * The outputs of one supervision step. Immutable: the arrays are copied in and out.
 *
 * @param logits {@code [B][context][vocab]}
 * @param halt {@code [B][haltOutputs]}: index 0 is the halt logit
 */
public record TrmStep(float[] logits, float[] halt) {
    /**
     * @param logits {@code [B][context][vocab]} (copied)
     * @param halt {@code [B][haltOutputs]} (copied)
     */
    public TrmStep {
        logits = dev.unroll.runtime.internal.Checks.notNull("TrmStep: logits", logits).clone();
        halt = dev.unroll.runtime.internal.Checks.notNull("TrmStep: halt", halt).clone();
    }

    /** @return a copy of the logits */
    @Override
    public float[] logits() {
        return logits.clone();
    }

    /** @return a copy of the halting logits */
    @Override
    public float[] halt() {
        return halt.clone();
    }
}

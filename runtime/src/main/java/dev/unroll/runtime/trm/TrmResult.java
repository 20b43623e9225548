package dev.unroll.runtime.trm;

/**
 * The result of the ACT loop.
 *
 * @param predictions {@code [B][context]} argmax tokens of the last step each puzzle ran
 * @param steps supervision steps each puzzle ran
 * @param halt {@code [B][haltOutputs]} halting logits of that step
 */
public record TrmResult(int[] predictions, int[] steps, float[] halt) {
    /**
     * Copies the arrays: a result is immutable.
     *
     * @param predictions {@code [B][context]} argmax tokens
     * @param steps supervision steps each puzzle ran
     * @param halt {@code [B][haltOutputs]} halting logits
     */
    public TrmResult {
        predictions = predictions.clone();
        steps = steps.clone();
        halt = halt.clone();
    }

    /** @return a copy of the predictions */
    @Override
    public int[] predictions() {
        return predictions.clone();
    }

    /** @return a copy of the step counts */
    @Override
    public int[] steps() {
        return steps.clone();
    }

    /** @return a copy of the halting logits */
    @Override
    public float[] halt() {
        return halt.clone();
    }

    /**
     * @param b a puzzle
     * @param context tokens per puzzle
     * @return its predicted tokens
     */
    public int[] prediction(int b, int context) {
        int[] p = new int[context];
        System.arraycopy(predictions, b * context, p, 0, context);
        return p;
    }
}

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
        predictions = dev.unroll.runtime.internal.Checks.notNull("TrmResult: predictions", predictions).clone();
        steps = dev.unroll.runtime.internal.Checks.notNull("TrmResult: steps", steps).clone();
        halt = dev.unroll.runtime.internal.Checks.notNull("TrmResult: halt", halt).clone();
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
        if (context < 1 || b < 0 || ((long) b + 1) * context > predictions.length) {
            throw new dev.unroll.runtime.UnrollException("prediction(" + b + ", " + context + "): the result holds " + predictions.length
                    + " predicted tokens, puzzles of context " + context + " count from 0");
        }
        int[] p = new int[context];
        System.arraycopy(predictions, b * context, p, 0, context);
        return p;
    }
}

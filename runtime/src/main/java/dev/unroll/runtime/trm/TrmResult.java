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

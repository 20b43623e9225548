package dev.unroll.runtime.transformer;

/**
 * A named site in the residual stream (TransformerLens-style names).
 *
 * <ul>
 *   <li>{@link #EMBED}: the embedded token, before layer 0;
 *   <li>{@link #RESID_PRE}: a layer's input;
 *   <li>{@link #ATTN_OUT}: the attention block's output, before it is added;
 *   <li>{@link #RESID_MID}: after the attention residual;
 *   <li>{@link #MLP_OUT}: the feed-forward block's output, before it is added;
 *   <li>{@link #RESID_POST}: a layer's output;
 *   <li>{@link #FINAL_NORM}: the normalised final state the classifier reads.
 * </ul>
 */
public enum HookPoint {
    /** Embedded token. */
    EMBED,
    /** Layer input. */
    RESID_PRE,
    /** Attention output. */
    ATTN_OUT,
    /** After the attention residual. */
    RESID_MID,
    /** Feed-forward output. */
    MLP_OUT,
    /** Layer output. */
    RESID_POST,
    /** Final normalised state. */
    FINAL_NORM;

    /** @return whether the point belongs to a layer */
    public boolean perLayer() {
        return this != EMBED && this != FINAL_NORM;
    }
}

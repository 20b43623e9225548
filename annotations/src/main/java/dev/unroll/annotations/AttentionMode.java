package dev.unroll.annotations;

/**
 * The twelve streaming linear-attention modes. Each is a per-token recurrence
 * {@code S_t = decay_t * S_{t-1} + update_t} on a per-head state; the exact rules follow the
 * reference implementation (irithyll 10.x) and are documented in {@code docs/linear-attention.md}.
 */
public enum AttentionMode {
    /** Fixed exponential decay {@code gamma}. */
    RETNET,
    /** Gated element-wise recurrence with a vector state (Griffin/Hawk). */
    HAWK,
    /** Gated linear attention with one sigmoid gate per head. */
    GLA,
    /** Gated linear attention with one sigmoid gate per key channel. */
    GLA_VECTOR,
    /** Delta rule with L2-normalised keys. */
    DELTA_NET,
    /** Gated delta rule; beta static or per token. */
    GATED_DELTA_NET,
    /** RWKV-style exponential decay with an input-dependent rate. */
    RWKV,
    /** xLSTM matrix memory with sigmoid forget and input gates (as the reference computes it). */
    MLSTM,
    /** A product of Householder delta steps per token, optionally with reflections. */
    DELTA_PRODUCT,
    /** RWKV-7: vector decay plus a diagonal-plus-low-rank delta update. */
    RWKV7,
    /** HGRN2: lower-bounded per-key forget gate with outer-product state. */
    HGRN2,
    /** Log-linear attention: a Fenwick hierarchy of states wrapping another (non log-linear) mode. */
    LOG_LINEAR
}

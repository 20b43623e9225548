package dev.unroll.annotations;

/** How Gated DeltaNet computes its delta-rule strength beta. */
public enum BetaMode {
    /** {@code beta = betaScale} for every token. */
    STATIC,
    /** {@code beta = sigmoid(w_beta . x)} per token and head; {@code betaScale} is not used. */
    PER_TOKEN
}

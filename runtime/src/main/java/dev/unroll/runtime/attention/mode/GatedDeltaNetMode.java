package dev.unroll.runtime.attention.mode;

import dev.unroll.annotations.BetaMode;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;

/** The typed keys of Gated DeltaNet's own {@code @LinearAttention} members, for {@code AttentionSpec.Builder.set} and {@code AttentionSpec.get}. */
public final class GatedDeltaNetMode {
    private GatedDeltaNetMode() {}

    /** The static beta. */
    public static final Parameter<Double> BETA_SCALE = Parameter.real("betaScale", 1.0, Range.any(), "beta_scale",
            "the static delta step, in (0, 2]");
    /** Where beta comes from. */
    public static final Parameter<BetaMode> BETA_MODE = Parameter.choice("betaMode", BetaMode.class, BetaMode.STATIC,
            "gate_mode_delta", "STATIC: beta = betaScale; PER_TOKEN: beta = sigmoid(w_beta_scalar . x)");
}

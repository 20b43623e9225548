package dev.unroll.runtime.trm;

/**
 * The outputs of one supervision step.
 *
 * @param logits {@code [B][context][vocab]}
 * @param halt {@code [B][haltOutputs]}: index 0 is the halt logit
 */
public record TrmStep(float[] logits, float[] halt) {}

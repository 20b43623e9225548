/**
 * One definition per attention mode ({@link dev.unroll.runtime.attention.mode.ModeDefinition}), read
 * by the run-time builders, the generic engine and the annotation processor alike;
 * {@link dev.unroll.runtime.attention.mode.Modes} lists them. Users need only the parameter keys,
 * e.g. {@code AttentionSpec.builder(RETNET, 64).set(RetNetMode.GAMMA, 0.9)}; the rest is the
 * extension point for a new mode ({@code docs/design.md}, "Adding an attention mode").
 *
 * <p>Definitions are stateless and thread-safe.
 */
package dev.unroll.runtime.attention.mode;

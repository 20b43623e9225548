package dev.unroll.examples.trm;

import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;

/** Small models that run in milliseconds: every code path (both mixers, both prefixes, 2 halting outputs) in the tests. */
public final class TinyTrms {
    private TinyTrms() {}

    /** MLP mixer, the seed's summary token, odd sizes. */
    @TinyRecursiveModel(hidden = 48, context = 9, vocab = 5, layers = 1, latentSteps = 2, cycles = 2, seed = 7)
    public interface Mixer {}

    /** The original TRM's choices: attention with RoPE, a 16-position prefix, halt and continue logits. */
    @TinyRecursiveModel(hidden = 64, context = 12, vocab = 6, layers = 2, latentSteps = 2, cycles = 2, prefix = 16,
            mixer = TokenMixer.ATTENTION, heads = 4, haltOutputs = 2, maxSupervisionSteps = 4, seed = 11)
    public interface Attention {}

    /** {@link Mixer} with BF16 row projections. */
    @TinyRecursiveModel(hidden = 48, context = 9, vocab = 5, layers = 1, latentSteps = 2, cycles = 2, seed = 7, weights = WeightFormat.BF16)
    public interface MixerBf16 {}

    /** {@link Attention} with Q8 row projections. */
    @TinyRecursiveModel(hidden = 64, context = 12, vocab = 6, layers = 2, latentSteps = 2, cycles = 2, prefix = 16,
            mixer = TokenMixer.ATTENTION, heads = 4, haltOutputs = 2, maxSupervisionSteps = 4, seed = 11, weights = WeightFormat.Q8)
    public interface AttentionQ8 {}

    /** {@link Mixer} with Q4 row projections: odd reduction widths (the mixer's 9 and 10 positions), a half-used last byte. */
    @TinyRecursiveModel(hidden = 48, context = 9, vocab = 5, layers = 1, latentSteps = 2, cycles = 2, seed = 7, weights = WeightFormat.Q4)
    public interface MixerQ4 {}

    /** {@link Attention} with Q4 row projections. */
    @TinyRecursiveModel(hidden = 64, context = 12, vocab = 6, layers = 2, latentSteps = 2, cycles = 2, prefix = 16,
            mixer = TokenMixer.ATTENTION, heads = 4, haltOutputs = 2, maxSupervisionSteps = 4, seed = 11, weights = WeightFormat.Q4)
    public interface AttentionQ4 {}
}

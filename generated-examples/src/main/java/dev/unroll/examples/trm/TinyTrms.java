package dev.unroll.examples.trm;

import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.annotations.TokenMixer;

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
}

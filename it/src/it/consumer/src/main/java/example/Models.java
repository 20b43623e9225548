package example;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.annotations.Transformer;

/** One descriptor per family, as a user writes them. */
public final class Models {
    private Models() {}

    /** Streaming linear attention: Gated DeltaNet with a per-token beta. */
    @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 32, heads = 4, betaMode = BetaMode.PER_TOKEN)
    public interface MyGdn {}

    /** A small Tiny Recursive Model. */
    @TinyRecursiveModel(hidden = 48, context = 9, vocab = 5, layers = 1, latentSteps = 2, cycles = 2, seed = 7)
    public interface MyTrm {}

    /** stories260K's shape with layers 1..3 run twice per token. */
    @Transformer(layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512)
    @RecurrentPass(loopStart = 1, loopEnd = 3, depth = 2)
    public interface MyStories {}
}

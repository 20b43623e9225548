package example;

import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.Transformer;

/** An invalid descriptor: the recurrent block ends past the last layer. */
public final class Bad {
    private Bad() {}

    /** loopEnd must be below layers. */
    @Transformer(layers = 4, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512)
    @RecurrentPass(loopStart = 1, loopEnd = 4, depth = 2)
    public interface TooLong {}
}

package example;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;

/** A descriptor, recompiled by the second build. */
public final class Models {
    private Models() {}

    /** RetNet, width 16. */
    @LinearAttention(mode = AttentionMode.RETNET, width = 16, heads = 2)
    public interface Small {}
}

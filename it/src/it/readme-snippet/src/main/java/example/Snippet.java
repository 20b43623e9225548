package example;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;

/** One descriptor, compiled by a project whose pom is the README's snippet. */
public final class Snippet {
    private Snippet() {}

    /** A GLA layer of width 16. */
    @LinearAttention(mode = AttentionMode.GLA, width = 16)
    public interface Gla {}
}

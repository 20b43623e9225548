package example.jpms;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;

/** A descriptor in a named module. */
@LinearAttention(mode = AttentionMode.GLA, width = 16, heads = 2)
public interface Stream {}

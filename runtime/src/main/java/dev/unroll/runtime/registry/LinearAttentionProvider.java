package dev.unroll.runtime.registry;

import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;

/** A generated linear-attention layer. */
public interface LinearAttentionProvider extends KernelProvider<AttentionSpec, AttentionWeights, LinearAttentionLayer> {
    @Override
    default Family family() {
        return Family.LINEAR_ATTENTION;
    }
}

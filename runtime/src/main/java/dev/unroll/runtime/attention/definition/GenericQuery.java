package dev.unroll.runtime.attention.definition;

import dev.unroll.runtime.attention.AttentionSpec;

/**
 * One head of the generic engine's pre-update readout, as a mode sees it: the head's projected query,
 * the stream's state and the slice of {@code concat} the head writes ({@code [head * V, head * V + V)}).
 *
 * @param spec the layer
 * @param weights its per-head weights
 * @param x the input token {@code [D]}
 * @param head the head
 * @param q the head's query {@code [K]} (not computed for modes without queries)
 * @param state the stream's state (read only)
 * @param meta the stream's meta data {@code {tokens, level mask}} (read only)
 * @param concat head outputs {@code [H * V]}
 */
public record GenericQuery(AttentionSpec spec, GenericPass.HeadWeights weights, double[] x, int head, double[] q, double[] state, long[] meta, double[] concat) {
    /**
     * @param field a per-head field
     * @return this head's weights of it
     */
    public double[] head(String field) {
        return weights.head(head, field);
    }
}

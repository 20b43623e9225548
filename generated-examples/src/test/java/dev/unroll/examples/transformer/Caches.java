package dev.unroll.examples.transformer;

import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.TransformerModel;

/** The tests' fresh caches for one sequence. */
final class Caches {
    private Caches() {}

    /**
     * @param m a decoder
     * @return one new cache per step of its forward ({@code forwardCaches()} of them)
     */
    static KvCache[] of(TransformerModel m) {
        KvCache[] c = new KvCache[m.forwardCaches()];
        for (int i = 0; i < c.length; i++) {
            c[i] = m.newCache();
        }
        return c;
    }
}

package dev.unroll.runtime.transformer;

import dev.unroll.runtime.backend.Backend;

/** {@link BatchDecodeRunner} on the JVM: every sequence's caches on the heap, each call one {@link TransformerModel#forwardTokens}. */
final class JvmBatchDecode implements BatchDecodeRunner {
    private final TransformerModel model;
    private final KvCache[][] caches;

    JvmBatchDecode(TransformerModel model, int sequences) {
        this.model = model;
        this.caches = new KvCache[sequences][model.forwardCaches()];
        for (KvCache[] c : caches) {
            for (int i = 0; i < c.length; i++) {
                c[i] = model.newCache();
            }
        }
    }

    @Override
    public Backend backend() {
        return Backend.JVM;
    }

    @Override
    public int sequences() {
        return caches.length;
    }

    @Override
    public void next(int[] tokens, int[] positions, float[][] logits) {
        model.forwardTokens(tokens, positions, caches, logits);
    }

    @Override
    public void close() {
        // the caches are garbage once the runner is
    }
}

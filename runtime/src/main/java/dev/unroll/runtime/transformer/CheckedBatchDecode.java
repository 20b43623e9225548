package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.internal.RunnerGuard;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The argument checks of {@link BatchDecodeRunner} around any backend's runner: the device glue moves
 * ints and floats and nothing else, so lengths, tokens, positions (a sequence's earlier positions must
 * have been run: its cache holds nothing else), distinct logits rows and use after close are checked
 * here, once for every backend, before anything runs; a backend's own failure (a device out of memory)
 * is reported as an {@link UnrollException} ({@link RunnerGuard}, as the attention runners' wrappers do).
 */
final class CheckedBatchDecode extends RunnerGuard implements BatchDecodeRunner {
    private final BatchDecodeRunner inner;
    private final TransformerSpec spec;
    /** Positions each sequence holds (0 .. ran - 1): its next position may be at most this. */
    private final int[] ran;

    CheckedBatchDecode(BatchDecodeRunner inner, TransformerSpec spec) {
        super("BatchDecodeRunner");
        this.inner = inner;
        this.spec = spec;
        this.ran = new int[inner.sequences()];
    }

    @Override
    public Backend backend() {
        return inner.backend();
    }

    @Override
    public int sequences() {
        return inner.sequences();
    }

    @Override
    public void next(int[] tokens, int[] positions, float[][] logits) {
        open("next");
        check(tokens, positions, logits);
        call("next", inner.backend(), () -> inner.next(tokens, positions, logits));
        for (int s = 0; s < ran.length; s++) {
            // a sequence that goes back keeps only the positions up to the one it ran: later rows are stale
            ran[s] = positions[s] + 1;
        }
    }

    private void check(int[] tokens, int[] positions, float[][] logits) {
        int n = ran.length;
        if (tokens == null || positions == null || logits == null) {
            throw new UnrollException("next: " + (tokens == null ? "tokens" : positions == null ? "positions" : "logits")
                    + " is null; a step takes one token, position and logits row per sequence (" + n + ")");
        }
        if (tokens.length != n || positions.length != n || logits.length != n) {
            throw new UnrollException("next: tokens, positions and logits must have one entry per sequence (" + n + "), got " + tokens.length + ", "
                    + positions.length + " and " + logits.length);
        }
        Set<float[]> rows = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int s = 0; s < n; s++) {
            if (tokens[s] < 0 || tokens[s] >= spec.vocab()) {
                throw new UnrollException("next: tokens[" + s + "] = " + tokens[s] + " is outside the vocabulary [0, " + spec.vocab() + ")");
            }
            if (positions[s] < 0 || positions[s] >= spec.maxSeq()) {
                throw new UnrollException("next: positions[" + s + "] = " + positions[s] + " is outside the KV cache [0, " + spec.maxSeq() + ")");
            }
            if (positions[s] > ran[s]) {
                throw new UnrollException("next: positions[" + s + "] = " + positions[s] + " skips positions: sequence " + s + " has run positions 0.."
                        + (ran[s] - 1) + ", so its next is at most " + ran[s]);
            }
            if (logits[s] == null || logits[s].length != spec.vocab()) {
                throw new UnrollException("next: logits[" + s + "]: expected length " + spec.vocab() + ", got "
                        + (logits[s] == null ? "null" : logits[s].length));
            }
            if (!rows.add(logits[s])) {
                throw new UnrollException("next: logits[" + s + "] is also another sequence's row; each sequence needs its own");
            }
        }
    }

    @Override
    public void close() {
        // the caches stay with the backend: nothing to bring back
        closeOnce(() -> { }, inner::close);
    }
}

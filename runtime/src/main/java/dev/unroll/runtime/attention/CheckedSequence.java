package dev.unroll.runtime.attention;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.internal.Checks;

/**
 * The argument checks of {@link SequenceRunner} around any backend's runner, as {@link CheckedStreams}
 * does for many streams: the generated device glue moves floats and nothing else, so lengths, finite
 * inputs, overflowed outputs and use after close are checked here for every backend, a backend's own
 * failure is reported as an {@link UnrollException}, and closing brings the state back first.
 */
final class CheckedSequence implements SequenceRunner {
    private final SequenceRunner inner;
    private final int floats;
    private final int width;
    private boolean closed;

    CheckedSequence(SequenceRunner inner, int floats, int width) {
        this.inner = inner;
        this.floats = floats;
        this.width = width;
    }

    @Override
    public Backend backend() {
        return inner.backend();
    }

    @Override
    public int tokens() {
        return inner.tokens();
    }

    @Override
    public void run(float[] xs, float[] ys) {
        open("run");
        Checks.length("xs", xs, floats);
        Checks.length("ys", ys, floats);
        for (int i = 0; i < xs.length; i++) {
            if (!Float.isFinite(xs[i])) {
                throw new UnrollException("run: xs[" + i + "] (token " + i / width + " of the chunk) is " + xs[i] + ": inputs must be finite");
            }
        }
        try {
            inner.run(xs, ys);
        } catch (UnrollException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnrollException("run: the " + inner.backend() + " backend failed: " + e, e);
        }
        for (int i = 0; i < ys.length; i++) {
            if (!Float.isFinite(ys[i])) {
                throw new UnrollException("run: the output of token " + i / width + " of the chunk is " + ys[i] + ": the recurrence overflowed"
                        + " (inputs too large for it); the state is no longer valid: close this runner, reset the state and open a new one,"
                        + " or scale the inputs down");
            }
        }
    }

    @Override
    public void syncState() {
        open("syncState");
        inner.syncState();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                inner.syncState();
            } finally {
                inner.close();
            }
        }
    }

    private void open(String call) {
        if (closed) {
            throw new UnrollException(call + ": this SequenceRunner is closed");
        }
    }
}

package dev.unroll.runtime.attention;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.internal.Checks;

/**
 * The argument checks of {@link StreamsRunner} around any backend's runner: the generated device glue
 * moves floats and nothing else, so lengths, finite inputs, overflowed outputs and use after close are
 * checked here, once for every backend, a backend's own failure (a device out of memory) is reported as
 * an {@link UnrollException}, and closing brings the states back first, so that every backend leaves the
 * streams' {@code AttentionState}s current.
 */
final class CheckedStreams implements StreamsRunner {
    private final StreamsRunner inner;
    private final int floats;
    private final int width;
    private boolean closed;

    CheckedStreams(StreamsRunner inner, int floats, int width) {
        this.inner = inner;
        this.floats = floats;
        this.width = width;
    }

    @Override
    public Backend backend() {
        return inner.backend();
    }

    @Override
    public int streams() {
        return inner.streams();
    }

    @Override
    public void step(float[] xs, float[] ys) {
        open("step");
        Checks.length("xs", xs, floats);
        Checks.length("ys", ys, floats);
        for (int i = 0; i < xs.length; i++) {
            if (!Float.isFinite(xs[i])) {
                throw new UnrollException("step: xs[" + i + "] (stream " + i / width + ") is " + xs[i] + ": inputs must be finite");
            }
        }
        try {
            inner.step(xs, ys);
        } catch (UnrollException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnrollException("step: the " + inner.backend() + " backend failed: " + e, e);
        }
        for (int i = 0; i < ys.length; i++) {
            if (!Float.isFinite(ys[i])) {
                throw new UnrollException("step: the output of stream " + i / width + " is " + ys[i] + ": its recurrence overflowed at F32 (inputs too"
                        + " large for it); its state is no longer valid: close this runner, reset the state and open a new one, or scale the inputs down");
            }
        }
    }

    @Override
    public void syncStates() {
        open("syncStates");
        inner.syncStates();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                inner.syncStates();
            } finally {
                inner.close();
            }
        }
    }

    private void open(String call) {
        if (closed) {
            throw new UnrollException(call + ": this StreamsRunner is closed");
        }
    }
}

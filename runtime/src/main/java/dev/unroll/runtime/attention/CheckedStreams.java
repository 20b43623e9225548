package dev.unroll.runtime.attention;

import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.internal.RunnerGuard;

/**
 * The argument checks of {@link StreamsRunner} around any backend's runner: the generated device glue
 * moves floats and nothing else, so lengths, finite inputs, overflowed outputs and use after close are
 * checked here, once for every backend, a backend's own failure (a device out of memory) is reported as
 * an {@link dev.unroll.runtime.UnrollException}, and closing brings the states back first, so that every
 * backend leaves the streams' {@code AttentionState}s current.
 */
final class CheckedStreams extends RunnerGuard implements StreamsRunner {
    private final StreamsRunner inner;
    private final int floats;
    private final int width;

    CheckedStreams(StreamsRunner inner, int floats, int width) {
        super("StreamsRunner");
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
        checked("step", inner.backend(), floats, xs, ys, i -> "stream " + i / width,
                i -> "step: the output of stream " + i / width + " is " + ys[i] + ": its recurrence overflowed at F32 (inputs too"
                        + " large for it); its state is no longer valid: close this runner, reset the state and open a new one, or scale the inputs down",
                () -> inner.step(xs, ys));
    }

    @Override
    public void syncStates() {
        open("syncStates");
        inner.syncStates();
    }

    @Override
    public void close() {
        closeOnce(inner::syncStates, inner::close);
    }
}

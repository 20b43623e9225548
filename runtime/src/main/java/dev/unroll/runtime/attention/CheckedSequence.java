package dev.unroll.runtime.attention;

import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.internal.RunnerGuard;

/**
 * The argument checks of {@link SequenceRunner} around any backend's runner, as {@link CheckedStreams}
 * does for many streams: the generated device glue moves floats and nothing else, so lengths, finite
 * inputs, overflowed outputs and use after close are checked here for every backend, a backend's own
 * failure is reported as an {@link dev.unroll.runtime.UnrollException}, and closing brings the state back first.
 */
final class CheckedSequence extends RunnerGuard implements SequenceRunner {
    private final SequenceRunner inner;
    private final int floats;
    private final int width;

    CheckedSequence(SequenceRunner inner, int floats, int width) {
        super("SequenceRunner");
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
        checked("run", inner.backend(), floats, xs, ys, i -> "token " + i / width + " of the chunk",
                i -> "run: the output of token " + i / width + " of the chunk is " + ys[i] + ": the recurrence overflowed"
                        + " (inputs too large for it); the state is no longer valid: close this runner, reset the state and open a new one,"
                        + " or scale the inputs down",
                () -> inner.run(xs, ys));
    }

    @Override
    public void syncState() {
        open("syncState");
        inner.syncState();
    }

    @Override
    public void close() {
        closeOnce(inner::syncState, inner::close);
    }
}

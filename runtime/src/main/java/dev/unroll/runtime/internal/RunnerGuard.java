package dev.unroll.runtime.internal;

import dev.unroll.runtime.UnrollException;
import java.util.function.IntFunction;

/**
 * What the runtime's wrappers of a backend's runner share (the attention runners' {@code CheckedSequence}
 * and {@code CheckedStreams}, the decoder's {@code CheckedBatchDecode}): use after close refused, close
 * once with the state(s) brought back first, a call's floats checked on the way in and out, and a
 * backend's own failure reported as an {@link UnrollException}.
 */
public abstract class RunnerGuard {
    private final String runner;
    private boolean closed;

    /** @param runner the interface's name, for the message after close */
    protected RunnerGuard(String runner) {
        this.runner = runner;
    }

    /**
     * @param call the method called
     * @throws UnrollException when the runner is closed
     */
    protected final void open(String call) {
        if (closed) {
            throw new UnrollException(call + ": this " + runner + " is closed");
        }
    }

    /**
     * Closes once: brings the state(s) back, then frees the backend, even when bringing back fails.
     *
     * @param sync brings the state(s) back
     * @param free frees the backend
     */
    protected final void closeOnce(Runnable sync, Runnable free) {
        if (!closed) {
            closed = true;
            try {
                sync.run();
            } finally {
                free.run();
            }
        }
    }

    /**
     * Runs one call of a backend, its inputs and outputs checked.
     *
     * @param call the method called, for the messages
     * @param backend the backend (the API's {@code Backend}; support code names it only in the message of its failure)
     * @param floats the length of the inputs and the outputs
     * @param xs the inputs, each finite
     * @param ys the outputs, each finite afterwards
     * @param input names the token of an input index ({@code "stream 1"})
     * @param overflow the message of an output that is not finite, from its index
     * @param work the backend's call
     */
    protected static void checked(String call, Object backend, int floats, float[] xs, float[] ys, IntFunction<String> input,
            IntFunction<String> overflow, Runnable work) {
        Checks.length("xs", xs, floats);
        Checks.length("ys", ys, floats);
        for (int i = 0; i < xs.length; i++) {
            if (!Float.isFinite(xs[i])) {
                throw new UnrollException(call + ": xs[" + i + "] (" + input.apply(i) + ") is " + xs[i] + ": inputs must be finite");
            }
        }
        call(call, backend, work);
        for (int i = 0; i < ys.length; i++) {
            if (!Float.isFinite(ys[i])) {
                throw new UnrollException(overflow.apply(i));
            }
        }
    }

    /**
     * Runs one call of a backend, reporting its own failure (a device out of memory) as an {@link UnrollException}.
     *
     * @param call the method called, for the message
     * @param backend the backend, named in the message
     * @param work the backend's call
     */
    protected static void call(String call, Object backend, Runnable work) {
        try {
            work.run();
        } catch (UnrollException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnrollException(call + ": the " + backend + " backend failed: " + e, e);
        }
    }
}

package dev.unroll.runtime.attention;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.Parallel;

/**
 * Shared plumbing of linear-attention layers: argument checks, precision conversion, batch
 * parallelism and a default state for single-stream use. Subclasses implement the native-precision
 * kernels ({@code *Native}).
 */
public abstract class AbstractLinearAttention implements LinearAttentionLayer {
    private final AttentionSpec spec;
    private AttentionState defaultState;

    /** @param spec the descriptor, with this layer's precision */
    protected AbstractLinearAttention(AttentionSpec spec) {
        this.spec = spec;
    }

    @Override
    public final AttentionSpec spec() {
        return spec;
    }

    @Override
    public AttentionState newState() {
        return new AttentionState(spec);
    }

    /** @return the state used by the single-stream convenience methods */
    public final synchronized AttentionState state() {
        if (defaultState == null) {
            defaultState = newState();
        }
        return defaultState;
    }

    /**
     * @param x input
     * @return the output of one step on the default state
     */
    public final float[] step(float[] x) {
        float[] y = new float[spec.width()];
        step(state(), x, y);
        return y;
    }

    /**
     * @param x input
     * @return the output of one step on the default state
     */
    public final double[] step(double[] x) {
        double[] y = new double[spec.width()];
        step(state(), x, y);
        return y;
    }

    /**
     * @param x input
     * @return the pre-update readout of the default state
     */
    public final float[] query(float[] x) {
        float[] y = new float[spec.width()];
        query(state(), x, y);
        return y;
    }

    /**
     * @param xs inputs
     * @param tokens T
     * @return outputs of a sequence on the default state
     */
    public final float[] forward(float[] xs, int tokens) {
        float[] ys = new float[dev.unroll.runtime.internal.Checks.notNull("forward: xs", xs).length];
        forward(state(), xs, tokens, ys);
        return ys;
    }

    /** Resets the default state. */
    public final void reset() {
        state().reset();
    }

    // ---------------------------------------------------------------- checked entry points

    @Override
    public final void step(AttentionState state, float[] x, float[] y) {
        check(state);
        Checks.length("x", x, spec.width());
        Checks.length("y", y, spec.width());
        finiteInput("x", x);
        stepF(state, x, y);
        finiteOutput(y);
    }

    @Override
    public final void step(AttentionState state, double[] x, double[] y) {
        check(state);
        Checks.length("x", x, spec.width());
        Checks.length("y", y, spec.width());
        finiteInput("x", x);
        stepD(state, x, y);
        finiteOutput(y);
    }

    @Override
    public final void query(AttentionState state, float[] x, float[] y) {
        check(state);
        Checks.length("x", x, spec.width());
        Checks.length("y", y, spec.width());
        finiteInput("x", x);
        queryF(state, x, y);
        finiteOutput(y);
    }

    @Override
    public final void query(AttentionState state, double[] x, double[] y) {
        check(state);
        Checks.length("x", x, spec.width());
        Checks.length("y", y, spec.width());
        finiteInput("x", x);
        queryD(state, x, y);
        finiteOutput(y);
    }

    @Override
    public final void forward(AttentionState state, float[] xs, int tokens, float[] ys) {
        check(state);
        Checks.length("xs", xs, Limits.arrayLength(tokens + " tokens of width " + spec.width(), Checks.positive("tokens", tokens), spec.width()));
        Checks.length("ys", ys, tokens * spec.width());
        finiteInput("xs", xs);
        forwardF(state, xs, tokens, ys);
        finiteOutput(ys);
    }

    @Override
    public final void forward(AttentionState state, double[] xs, int tokens, double[] ys) {
        check(state);
        Checks.length("xs", xs, Limits.arrayLength(tokens + " tokens of width " + spec.width(), Checks.positive("tokens", tokens), spec.width()));
        Checks.length("ys", ys, tokens * spec.width());
        finiteInput("xs", xs);
        forwardD(state, xs, tokens, ys);
        finiteOutput(ys);
    }

    @Override
    public final void stepBatch(AttentionState[] states, float[][] xs, float[][] ys) {
        stepBatch(states, xs, ys, Parallel.threads());
    }

    @Override
    public final void stepBatch(AttentionState[] states, float[][] xs, float[][] ys, int threads) {
        Checks.positive("threads", threads);
        batchSizes(states, xs, ys);
        for (int i = 0; i < states.length; i++) {
            check(states[i]);
            Checks.length("xs[" + i + "]", xs[i], spec.width());
            Checks.length("ys[" + i + "]", ys[i], spec.width());
            finiteInput("xs[" + i + "]", xs[i]);
        }
        outputsApart(xs, ys);
        stepStreams(states, xs, ys, Math.min(threads, Parallel.threads()));
        for (int i = 0; i < states.length; i++) {
            finiteOutput("stream " + i + " of this batch", ys[i]);
        }
    }

    /**
     * Steps checked streams by one token each. The default steps each stream on its own, the streams
     * cut into {@code threads} contiguous parts; generated layers batch the streams' projections into
     * matrix products.
     *
     * @param states one per stream, distinct, of this layer
     * @param xs one finite input per stream, of length width
     * @param ys one output per stream, of length width, none shared with another stream's input or output
     * @param threads at most this many threads, the caller's among them (1: the caller's only)
     */
    protected void stepStreams(AttentionState[] states, float[][] xs, float[][] ys, int threads) {
        int n = states.length;
        int parts = Math.max(1, Math.min(threads, n));
        Parallel.split(parts, part -> {
            for (int i = (int) ((long) n * part / parts), to = (int) ((long) n * (part + 1) / parts); i < to; i++) {
                stepF(states[i], xs[i], ys[i]);
            }
        });
    }

    @Override
    public final void forwardBatch(AttentionState[] states, float[][] xs, int tokens, float[][] ys) {
        batchSizes(states, xs, ys);
        outputsApart(xs, ys);
        Parallel.forEach(states.length, i -> forward(states[i], xs[i], tokens, ys[i]));
    }

    private static void batchSizes(AttentionState[] states, Object[] xs, Object[] ys) {
        Checks.noNulls("states", states);
        Checks.notNull("xs", xs);
        Checks.notNull("ys", ys);
        if (states.length != xs.length || states.length != ys.length) {
            throw new UnrollException("batch sizes differ: " + states.length + " states, " + xs.length + " inputs, " + ys.length + " outputs");
        }
        java.util.IdentityHashMap<AttentionState, Integer> seen = new java.util.IdentityHashMap<>();
        for (int i = 0; i < states.length; i++) {
            Integer first = seen.putIfAbsent(states[i], i);
            if (first != null) {
                throw new UnrollException("states " + first + " and " + i + " of the batch are the same AttentionState: each stream needs its own "
                        + "(the streams run in parallel)");
            }
        }
    }

    /**
     * Streams run in parallel: an output array shared by two streams, or one stream's output that is
     * another's input, would make the result depend on timing. A stream's own input may be its output.
     */
    private static void outputsApart(float[][] xs, float[][] ys) {
        java.util.IdentityHashMap<float[], Integer> outputs = new java.util.IdentityHashMap<>();
        for (int i = 0; i < ys.length; i++) {
            Integer first = ys[i] == null ? null : outputs.putIfAbsent(ys[i], i);
            if (first != null) {
                throw new UnrollException("ys[" + first + "] and ys[" + i + "] are the same array: each stream needs its own output (the streams run in "
                        + "parallel)");
            }
        }
        for (int i = 0; i < xs.length; i++) {
            Integer owner = xs[i] == null ? null : outputs.get(xs[i]);
            if (owner != null && owner != i) {
                throw new UnrollException("xs[" + i + "] is the array of ys[" + owner + "]: one stream's input may not be another's output (the streams run "
                        + "in parallel)");
            }
        }
    }

    /** Inputs must be finite: one NaN would poison the state for every later token. */
    private static void finiteInput(String name, float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new UnrollException(name + "[" + i + "] is " + x[i] + ": inputs must be finite");
            }
        }
    }

    private static void finiteInput(String name, double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new UnrollException(name + "[" + i + "] is " + x[i] + ": inputs must be finite");
            }
        }
    }

    /** A non-finite output means the recurrence overflowed: say so instead of returning it. */
    private void finiteOutput(float[] y) {
        for (int i = 0; i < y.length; i++) {
            if (!Float.isFinite(y[i])) {
                throw overflow("token " + i / spec.width() + " of this call", y[i]);
            }
        }
    }

    private void finiteOutput(String which, float[] y) {
        for (int i = 0; i < y.length; i++) {
            if (!Float.isFinite(y[i])) {
                throw overflow(which, y[i]);
            }
        }
    }

    private void finiteOutput(double[] y) {
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw overflow("token " + i / spec.width() + " of this call", y[i]);
            }
        }
    }

    private UnrollException overflow(String which, double value) {
        return new UnrollException("the output of " + which + " is " + value + ": " + spec.mode() + " overflowed at "
                + spec.precision() + " (inputs too large for it); the state is no longer valid: reset it, scale the inputs down"
                + (spec.precision() == dev.unroll.annotations.Precision.F32 ? " or use precision F64" : ""));
    }

    private void check(AttentionState state) {
        if (state == null) {
            throw new UnrollException("state must not be null");
        }
        if (!state.spec().equals(spec)) {
            throw new UnrollException("state belongs to " + state.spec().describe() + ", not to this layer's " + spec.describe());
        }
    }

    // ---------------------------------------------------------------- kernels and conversions

    /**
     * One step at f32 (inputs checked).
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected abstract void stepF(AttentionState s, float[] x, float[] y);

    /**
     * One step at f64 (inputs checked).
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected abstract void stepD(AttentionState s, double[] x, double[] y);

    /**
     * Readout at f32.
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected abstract void queryF(AttentionState s, float[] x, float[] y);

    /**
     * Readout at f64.
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected abstract void queryD(AttentionState s, double[] x, double[] y);

    /**
     * Sequence at f32.
     *
     * @param s state
     * @param xs in
     * @param tokens T
     * @param ys out
     */
    protected abstract void forwardF(AttentionState s, float[] xs, int tokens, float[] ys);

    /**
     * Sequence at f64.
     *
     * @param s state
     * @param xs in
     * @param tokens T
     * @param ys out
     */
    protected abstract void forwardD(AttentionState s, double[] xs, int tokens, double[] ys);

    /**
     * @param a floats
     * @return them widened
     */
    protected static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * @param a doubles
     * @return them narrowed
     */
    protected static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /**
     * @param from source
     * @param to destination, same length
     */
    protected static void narrowInto(double[] from, float[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = (float) from[i];
        }
    }

    /**
     * @param from source
     * @param to destination, same length
     */
    protected static void widenInto(float[] from, double[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i];
        }
    }
}

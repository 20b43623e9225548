package dev.unroll.runtime.codegen;

import dev.unroll.annotations.Precision;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AbstractLinearAttention;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.Parallel;

/**
 * Base of the generated {@code FooLayer} classes: flavour choice and reporting, precision
 * conversion, per-stream workspaces and the choice between the sequential and the head-parallel
 * sequence path. Subclasses call their generated static kernels for their own precision.
 */
public abstract class GeneratedLinearAttention extends AbstractLinearAttention {
    /** Sequences with at least this many state updates ({@code tokens * H * K * V}) run heads in parallel. */
    private static final long PARALLEL_WORK = 1L << 18;

    /**
     * Streams per batched kernel call: 64 rows give the GEMM's register tiles (6 rows) whole panels of
     * work for each weight they read, and keep a call's projections ({@code 64 * P_PAD} floats) in L2.
     */
    public static final int STREAMS_PER_CALL = 64;

    /**
     * A batch splits over threads only with at least this many streams per thread
     * ({@code -Dunroll.streamsPerThread} overrides it): below it the weights, read once more per
     * thread, cost more than the second core gives.
     */
    public static final int STREAMS_PER_THREAD = 16;

    private final Flavour flavour;
    private final String className;
    /** The batched step's buffers, one set per calling thread (streams of a batch share them). */
    private final ThreadLocal<Workspace> batch = new ThreadLocal<>();

    /**
     * @param spec the descriptor
     * @param flavour the flavour that runs
     * @param className the generated class, for reports
     */
    protected GeneratedLinearAttention(AttentionSpec spec, Flavour flavour, String className) {
        super(spec);
        this.flavour = flavour;
        this.className = className;
    }

    /** @return the flavour that runs */
    public final Flavour flavour() {
        return flavour;
    }

    /**
     * The same layer in another flavour, for callers that need one: TornadoVM runs the scalar kernels.
     * The weights are moved into the other flavour's layout, not recomputed, so both give what their
     * kernels give on the same values.
     *
     * @param flavour the flavour wanted
     * @return this layer when it already runs that flavour, else a new layer
     * @throws UnrollException when the SIMD flavour is asked for and cannot run
     */
    public abstract GeneratedLinearAttention withFlavour(Flavour flavour);

    /** @return whether the SIMD flavour runs */
    protected final boolean simd() {
        return flavour == Flavour.SIMD;
    }

    @Override
    public String implementation() {
        return "generated " + className + " (" + flavour.describe() + ", " + spec().precision() + ")";
    }

    /** Per-stream buffers of the kernels, grown on demand; a stream is used by one thread at a time. */
    protected static final class Workspace {
        /** f32 buffers (null at f64). */
        public float[] projF;
        /** f32 buffers. */
        public float[] concatF;
        /** f32 buffers. */
        public float[] scratchF;
        /** f64 buffers (null at f32). */
        public double[] projD;
        /** f64 buffers. */
        public double[] concatD;
        /** f64 buffers. */
        public double[] scratchD;
        /** Tokens the sequence buffers can hold. */
        public int tokens;
        /** The batched step's inputs, one row of width per stream (f32). */
        float[] xF;
        /** The batched step's outputs. */
        float[] yF;
    }

    /**
     * The calling thread's buffers for one batched call of up to {@link #STREAMS_PER_CALL} streams.
     *
     * @param projPerToken P_PAD
     * @param concatPerToken HV
     * @param scratch SCRATCH_SIZE
     * @return the workspace, its {@code projF}, {@code concatF} and {@code scratchF} sized for a call
     */
    protected final Workspace batchWorkspace(int projPerToken, int concatPerToken, int scratch) {
        Workspace w = batchBuffers();
        if (w.projF == null) {
            w.projF = new float[STREAMS_PER_CALL * projPerToken];
            w.concatF = new float[STREAMS_PER_CALL * concatPerToken];
            w.scratchF = new float[Math.max(1, scratch)];
            w.tokens = STREAMS_PER_CALL;
        }
        return w;
    }

    private Workspace batchBuffers() {
        Workspace w = batch.get();
        if (w == null) {
            w = new Workspace();
            w.xF = new float[STREAMS_PER_CALL * spec().width()];
            w.yF = new float[STREAMS_PER_CALL * spec().width()];
            batch.set(w);
        }
        return w;
    }

    /**
     * Batched streams at f32: in calls of up to {@link #STREAMS_PER_CALL} streams, each call's
     * projections one matrix product over its streams' tokens (the weights read once per call, not
     * once per stream), each stream's heads on its own state, the output projection another product;
     * split over up to {@code threads} threads when each gets {@link #STREAMS_PER_THREAD} streams or
     * more. At f64 the streams step one by one.
     */
    @Override
    protected final void stepStreams(AttentionState[] states, float[][] xs, float[][] ys, int threads) {
        if (!f32()) {
            super.stepStreams(states, xs, ys, threads);
            return;
        }
        int n = states.length;
        long perThread = Checks.longProperty("unroll.streamsPerThread", STREAMS_PER_THREAD, 1, Integer.MAX_VALUE, "the fewest streams a thread of stepBatch takes");
        int parts = (int) Math.max(1, Math.min(threads, n / perThread));
        Parallel.split(parts, part -> {
            int from = (int) ((long) n * part / parts);
            int to = (int) ((long) n * (part + 1) / parts);
            for (int first = from; first < to; first += STREAMS_PER_CALL) {
                stepCall(states, xs, ys, first, Math.min(STREAMS_PER_CALL, to - first));
            }
        });
    }

    private void stepCall(AttentionState[] states, float[][] xs, float[][] ys, int from, int streams) {
        int width = spec().width();
        Workspace w = batchBuffers();
        for (int b = 0; b < streams; b++) {
            System.arraycopy(xs[from + b], 0, w.xF, b * width, width);
        }
        kernelStepStreams(states, from, streams, w.xF, w.yF);
        for (int b = 0; b < streams; b++) {
            System.arraycopy(w.yF, b * width, ys[from + b], 0, width);
        }
    }

    /**
     * f32 step of {@code streams} streams, one token each: {@code xs} and {@code ys} hold one row of
     * width per stream, in the order of {@code s[from..from+streams)}.
     *
     * @param s the batch's states
     * @param from the first stream of this call
     * @param streams streams in this call, at most {@link #STREAMS_PER_CALL}
     * @param xs inputs, {@code [streams][width]}
     * @param ys outputs, {@code [streams][width]}
     */
    protected void kernelStepStreams(AttentionState[] s, int from, int streams, float[] xs, float[] ys) {
        throw wrongPrecision();
    }

    /**
     * @param s a stream
     * @param tokens tokens the call needs room for
     * @param projPerToken P_PAD
     * @param concatPerToken HV
     * @param scratch SCRATCH_SIZE
     * @return the stream's workspace for this layer
     */
    protected final Workspace workspace(AttentionState s, int tokens, int projPerToken, int concatPerToken, int scratch) {
        Object o = s.workspace(this);
        Workspace w = o instanceof Workspace ws ? ws : null;
        if (w == null || w.tokens < tokens) {
            w = new Workspace();
            int cap = Math.max(tokens, w.tokens);
            w.tokens = cap;
            if (spec().precision() == Precision.F32) {
                w.projF = new float[cap * projPerToken];
                w.concatF = new float[cap * concatPerToken];
                w.scratchF = new float[Math.max(1, scratch)];
            } else {
                w.projD = new double[cap * projPerToken];
                w.concatD = new double[cap * concatPerToken];
                w.scratchD = new double[Math.max(1, scratch)];
            }
            s.setWorkspace(this, w);
        }
        return w;
    }

    /**
     * @param tokens sequence length
     * @return whether a sequence should run its heads in parallel
     */
    protected final boolean parallelHeads(int tokens) {
        AttentionSpec sp = spec();
        return sp.heads() > 1 && Parallel.threads() > 1
                && (long) tokens * sp.heads() * sp.keyWidth() * sp.valueWidth() >= PARALLEL_WORK;
    }

    // ---------------------------------------------------------------- precision dispatch

    private boolean f32() {
        return spec().precision() == Precision.F32;
    }

    @Override
    protected final void stepF(AttentionState s, float[] x, float[] y) {
        if (f32()) {
            kernelStep(s, x, y);
        } else {
            double[] yd = new double[y.length];
            kernelStep(s, widen(x), yd);
            narrowInto(yd, y);
        }
    }

    @Override
    protected final void stepD(AttentionState s, double[] x, double[] y) {
        if (f32()) {
            float[] yf = new float[y.length];
            kernelStep(s, narrow(x), yf);
            widenInto(yf, y);
        } else {
            kernelStep(s, x, y);
        }
    }

    @Override
    protected final void queryF(AttentionState s, float[] x, float[] y) {
        if (f32()) {
            kernelQuery(s, x, y);
        } else {
            double[] yd = new double[y.length];
            kernelQuery(s, widen(x), yd);
            narrowInto(yd, y);
        }
    }

    @Override
    protected final void queryD(AttentionState s, double[] x, double[] y) {
        if (f32()) {
            float[] yf = new float[y.length];
            kernelQuery(s, narrow(x), yf);
            widenInto(yf, y);
        } else {
            kernelQuery(s, x, y);
        }
    }

    @Override
    protected final void forwardF(AttentionState s, float[] xs, int tokens, float[] ys) {
        if (f32()) {
            kernelForward(s, xs, tokens, ys);
        } else {
            double[] yd = new double[ys.length];
            kernelForward(s, widen(xs), tokens, yd);
            narrowInto(yd, ys);
        }
    }

    @Override
    protected final void forwardD(AttentionState s, double[] xs, int tokens, double[] ys) {
        if (f32()) {
            float[] yf = new float[ys.length];
            kernelForward(s, narrow(xs), tokens, yf);
            widenInto(yf, ys);
        } else {
            kernelForward(s, xs, tokens, ys);
        }
    }

    /**
     * f32 step.
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected void kernelStep(AttentionState s, float[] x, float[] y) {
        throw wrongPrecision();
    }

    /**
     * f64 step.
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected void kernelStep(AttentionState s, double[] x, double[] y) {
        throw wrongPrecision();
    }

    /**
     * f32 query.
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected void kernelQuery(AttentionState s, float[] x, float[] y) {
        throw wrongPrecision();
    }

    /**
     * f64 query.
     *
     * @param s state
     * @param x in
     * @param y out
     */
    protected void kernelQuery(AttentionState s, double[] x, double[] y) {
        throw wrongPrecision();
    }

    /**
     * f32 sequence.
     *
     * @param s state
     * @param xs in
     * @param tokens T
     * @param ys out
     */
    protected void kernelForward(AttentionState s, float[] xs, int tokens, float[] ys) {
        throw wrongPrecision();
    }

    /**
     * f64 sequence.
     *
     * @param s state
     * @param xs in
     * @param tokens T
     * @param ys out
     */
    protected void kernelForward(AttentionState s, double[] xs, int tokens, double[] ys) {
        throw wrongPrecision();
    }

    private UnrollException wrongPrecision() {
        return new UnrollException(className + " was generated for " + spec().precision() + " and has no kernel for the other precision");
    }
}

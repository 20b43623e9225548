package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;

/**
 * One stream's state in a {@link GatedDeltaNetLayer}, what fla keeps in its cache for the layer: the
 * recurrent state per value head, {@code [num_v_heads, head_v_dim, head_dim]} (fla's {@code state_v_first}
 * layout, which the layer asks of its kernels), and, with short convolutions, the three convolution windows
 * {@code [channels, conv_size]}, the last {@code conv_size} projected inputs of q, k and v, newest last (fla's
 * {@code conv_state}). A new state is zeros, as fla starts a sequence. Keep one per stream; a state belongs to
 * one configuration. Not thread-safe: one stream, one thread at a time.
 */
public final class GatedDeltaNetState {
    private final GatedDeltaNetConfig config;
    final float[] recurrent;
    final float[] convQ;
    final float[] convK;
    final float[] convV;
    long tokens;

    /**
     * A zero state.
     *
     * @param config the layer's configuration
     * @throws UnrollException when the state exceeds the memory budget
     */
    public GatedDeltaNetState(GatedDeltaNetConfig config) {
        this.config = Checks.notNull("GatedDeltaNetState: the configuration", config);
        int w = config.convSize();
        long bytes = 4L * ((long) config.numVHeads() * config.headVDim() * config.headDim()
                + (config.useShortConv() ? (2L * config.keyDim() + config.valueDim()) * w : 0));
        Limits.checkBudget("a GatedDeltaNet state (" + GatedDeltaNetWeights.describe(config) + ")", bytes);
        recurrent = new float[config.numVHeads() * config.headVDim() * config.headDim()];
        convQ = config.useShortConv() ? new float[Limits.arrayLength("q_conv1d state", config.keyDim(), w)] : null;
        convK = config.useShortConv() ? new float[config.keyDim() * w] : null;
        convV = config.useShortConv() ? new float[Limits.arrayLength("v_conv1d state", config.valueDim(), w)] : null;
    }

    private GatedDeltaNetState(GatedDeltaNetState o) {
        config = o.config;
        recurrent = o.recurrent.clone();
        convQ = o.convQ == null ? null : o.convQ.clone();
        convK = o.convK == null ? null : o.convK.clone();
        convV = o.convV == null ? null : o.convV.clone();
        tokens = o.tokens;
    }

    /** @return the configuration this state belongs to */
    public GatedDeltaNetConfig config() {
        return config;
    }

    /** @return the tokens this state has taken since it was made or reset */
    public long tokens() {
        return tokens;
    }

    /** @return an independent copy (bit-exact) */
    public GatedDeltaNetState copy() {
        return new GatedDeltaNetState(this);
    }

    /** Zeros everything: the start of a new sequence. */
    public void reset() {
        java.util.Arrays.fill(recurrent, 0f);
        for (float[] c : new float[][] {convQ, convK, convV}) {
            if (c != null) {
                java.util.Arrays.fill(c, 0f);
            }
        }
        tokens = 0;
    }

    /** @return a copy of the recurrent state, {@code [num_v_heads, head_v_dim, head_dim]} (fla's {@code recurrent_state[n]}) */
    public Tensor recurrentState() {
        return Tensor.of(recurrent.clone(), config.numVHeads(), config.headVDim(), config.headDim());
    }

    /**
     * @param which {@code 'q'}, {@code 'k'} or {@code 'v'}
     * @return a copy of that convolution's window, {@code [channels, conv_size]}, newest input last (fla's
     *     {@code conv_state[i][n]})
     * @throws UnrollException without short convolutions, or for another letter
     */
    public Tensor convState(char which) {
        float[] c = conv(which);
        return Tensor.of(c.clone(), c.length / config.convSize(), config.convSize());
    }

    private float[] conv(char which) {
        if (!config.useShortConv()) {
            throw new UnrollException("GatedDeltaNetState: no convolution state: this configuration has use_short_conv = false");
        }
        return switch (which) {
            case 'q' -> convQ;
            case 'k' -> convK;
            case 'v' -> convV;
            default -> throw new UnrollException("GatedDeltaNetState.convState: '" + which + "': must be 'q', 'k' or 'v'");
        };
    }

    /**
     * Sets the recurrent state, e.g. from fla's cache ({@code recurrent_state[n]}).
     *
     * @param state {@code [num_v_heads, head_v_dim, head_dim]}, finite
     */
    public void setRecurrentState(Tensor state) {
        copyIn("recurrent state", state, recurrent, config.numVHeads(), config.headVDim(), config.headDim());
    }

    /**
     * Sets one convolution window, e.g. from fla's cache ({@code conv_state[i][n]}).
     *
     * @param which {@code 'q'}, {@code 'k'} or {@code 'v'}
     * @param window {@code [channels, conv_size]}, newest input last, finite
     */
    public void setConvState(char which, Tensor window) {
        float[] c = conv(which);
        copyIn(which + "_conv1d state", window, c, c.length / config.convSize(), config.convSize());
    }

    private static void copyIn(String what, Tensor t, float[] into, int... shape) {
        Checks.notNull("GatedDeltaNetState: the " + what, t);
        t.require("the " + what, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new UnrollException("GatedDeltaNetState: the " + what + " holds " + d[i] + " at " + t.index(i) + ": must be finite");
            }
        }
        System.arraycopy(d, 0, into, 0, d.length);
    }

    /** Writes a computed state back (the layer commits only when every output is finite). */
    void commit(float[] rec, float[] q, float[] k, float[] v, int taken) {
        System.arraycopy(rec, 0, recurrent, 0, rec.length);
        if (q != null) {
            System.arraycopy(q, 0, convQ, 0, q.length);
            System.arraycopy(k, 0, convK, 0, k.length);
            System.arraycopy(v, 0, convV, 0, v.length);
        }
        tokens += taken;
    }

    @Override
    public String toString() {
        return "GatedDeltaNetState(" + tokens + " tokens, " + GatedDeltaNetWeights.describe(config) + ")";
    }
}

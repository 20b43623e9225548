package dev.unroll.runtime.attention;

import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.StreamsRunner;

/** Many streams on the JVM: {@link LinearAttentionLayer#stepBatch} over the streams' heap states. */
final class JvmStreams implements StreamsRunner {
    private final LinearAttentionLayer layer;
    private final AttentionState[] states;
    private final float[][] xs;
    private final float[][] ys;

    JvmStreams(LinearAttentionLayer layer, AttentionState[] states) {
        this.layer = layer;
        this.states = states;
        int width = layer.spec().width();
        this.xs = new float[states.length][width];
        this.ys = new float[states.length][width];
    }

    @Override
    public Backend backend() {
        return Backend.JVM;
    }

    @Override
    public int streams() {
        return states.length;
    }

    @Override
    public void step(float[] in, float[] out) {
        int width = layer.spec().width();
        for (int b = 0; b < states.length; b++) {
            System.arraycopy(in, b * width, xs[b], 0, width);
        }
        layer.stepBatch(states, xs, ys);
        for (int b = 0; b < states.length; b++) {
            System.arraycopy(ys[b], 0, out, b * width, width);
        }
    }

    @Override
    public void syncStates() {
        // the states live on the heap
    }

    @Override
    public void close() {
        // nothing held
    }
}

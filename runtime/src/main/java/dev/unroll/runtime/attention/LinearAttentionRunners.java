package dev.unroll.runtime.attention;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.backend.StreamsRunner;

/**
 * Opens a {@link SequenceRunner} for a layer on a backend: the generated {@code FooTornado} glue, found
 * through {@link dev.unroll.runtime.backend.DeviceGlue} so that nothing here links TornadoVM, or the layer's own JVM kernels. The glue runs the
 * scalar kernels; a layer of another flavour is moved into the scalar layout for it, so a layer from
 * {@code seeded()} or {@code load()} works as it is. {@link #openStreams} does the same for many streams
 * stepped together ({@code FooTornadoStreams} on the device).
 */
public final class LinearAttentionRunners {
    private LinearAttentionRunners() {}

    /**
     * On the backend {@link Backend#choose} picks: TornadoVM when its runtime is loaded and the glue was
     * generated, unless {@code -Dunroll.backend} says otherwise.
     *
     * @param layer a layer
     * @param state the stream, owned by the runner until it is closed
     * @param tokens tokens per chunk
     * @return a runner on the chosen backend
     */
    public static SequenceRunner open(LinearAttentionLayer layer, AttentionState state, int tokens) {
        return open(layer, state, tokens, null);
    }

    /**
     * @param layer a layer (generated, for the TornadoVM backend)
     * @param state the stream, owned by the runner until it is closed
     * @param tokens tokens per chunk
     * @param backend the backend to run on, or null for {@link Backend#choose}'s choice
     * @return a runner on that backend; it checks every chunk (lengths, finite inputs, an overflow names its
     *     token) and brings the state back when it closes
     * @throws UnrollException when the state is not of this layer, or TornadoVM is asked for and cannot run this layer, naming what is missing
     */
    public static SequenceRunner open(LinearAttentionLayer layer, AttentionState state, int tokens, Backend backend) {
        dev.unroll.runtime.internal.Checks.notNull("LinearAttentionRunners.open: layer", layer);
        dev.unroll.runtime.internal.Checks.notNull("LinearAttentionRunners.open: state", state);
        if (tokens < 1) {
            throw new UnrollException("tokens (" + tokens + ") must be >= 1");
        }
        if (!state.spec().equals(layer.spec())) {
            throw new UnrollException("LinearAttentionRunners.open: state belongs to " + state.spec().describe() + ", not to this layer's "
                    + layer.spec().describe());
        }
        int floats = dev.unroll.runtime.Limits.arrayLength(tokens + " tokens of width " + layer.spec().width(), tokens, layer.spec().width());
        AttentionGlue glue = DeviceGlues.find(AttentionGlue.class, layer.getClass());
        Backend b = Backend.resolve(backend, glue, layer.getClass());
        SequenceRunner inner;
        if (b == Backend.TORNADOVM) {
            DeviceIndex device = DeviceIndex.fromProperty();
            inner = DeviceGlues.open(glue, () -> glue.open(layer, state, tokens, device));
        } else {
            inner = new JvmRunner(layer, state, tokens);
        }
        return new CheckedSequence(inner, floats, layer.spec().width());
    }

    /**
     * Many streams stepped together, one token each per call, on the backend {@link Backend#choose} picks.
     *
     * @param layer a layer
     * @param states the streams, distinct, of this layer, owned by the runner until it is closed
     * @return a runner on the chosen backend
     */
    public static StreamsRunner openStreams(LinearAttentionLayer layer, AttentionState[] states) {
        return openStreams(layer, states, null);
    }

    /**
     * Many streams stepped together, one token each per call: the projections are one matrix product over
     * the streams' tokens (the weights read once per call), each stream's heads run on its own state. On
     * TornadoVM the states stay on the device between calls and come back through
     * {@link StreamsRunner#syncStates()}; on the JVM the runner calls {@link LinearAttentionLayer#stepBatch}.
     * Either way the runner checks every call's inputs (lengths, finite values) and outputs (an overflow
     * names its stream), and closing it brings the states back. The runner owns the states until it is
     * closed: on a device a change made to them meanwhile is not seen and is overwritten.
     *
     * @param layer a layer (generated, for the TornadoVM backend)
     * @param states the streams, at least one, distinct, each of this layer
     * @param backend the backend to run on, or null for {@link Backend#choose}'s choice
     * @return a runner on that backend
     * @throws UnrollException when an argument breaks those rules, or TornadoVM is asked for and cannot run this layer
     */
    public static StreamsRunner openStreams(LinearAttentionLayer layer, AttentionState[] states, Backend backend) {
        dev.unroll.runtime.internal.Checks.notNull("LinearAttentionRunners.openStreams: layer", layer);
        dev.unroll.runtime.internal.Checks.noNulls("LinearAttentionRunners.openStreams: states", states);
        if (states.length == 0) {
            throw new UnrollException("LinearAttentionRunners.openStreams: states is empty: give at least one stream");
        }
        AttentionSpec spec = layer.spec();
        java.util.IdentityHashMap<AttentionState, Integer> seen = new java.util.IdentityHashMap<>();
        for (int i = 0; i < states.length; i++) {
            if (!states[i].spec().equals(spec)) {
                throw new UnrollException("LinearAttentionRunners.openStreams: states[" + i + "] belongs to " + states[i].spec().describe()
                        + ", not to this layer's " + spec.describe());
            }
            Integer first = seen.putIfAbsent(states[i], i);
            if (first != null) {
                throw new UnrollException("LinearAttentionRunners.openStreams: states[" + first + "] and states[" + i
                        + "] are the same AttentionState: each stream needs its own");
            }
        }
        int floats = dev.unroll.runtime.Limits.arrayLength(states.length + " streams of width " + spec.width(), states.length, spec.width());
        // what a runner allocates beside the states: a copy of every state (the device's layout) and two rows of width per stream
        long stateFloats = states[0].spec().precision() == dev.unroll.annotations.Precision.F32 ? states[0].f32().length : 0;
        dev.unroll.runtime.Limits.checkResident("LinearAttentionRunners.openStreams over " + states.length + " streams",
                dev.unroll.runtime.Limits.product(states.length + " streams' buffers", states.length, stateFloats + 2L * spec.width(), 4));
        AttentionState[] own = states.clone();
        AttentionStreamsGlue glue = DeviceGlues.find(AttentionStreamsGlue.class, layer.getClass());
        Backend b = Backend.resolve(backend, glue, layer.getClass());
        StreamsRunner inner;
        if (b == Backend.TORNADOVM) {
            DeviceIndex device = DeviceIndex.fromProperty();
            inner = DeviceGlues.open(glue, () -> glue.open(layer, own, device));
        } else {
            inner = new JvmStreams(layer, own);
        }
        return new CheckedStreams(inner, floats, spec.width());
    }

    /** The layer's JVM kernels over the stream's heap state. */
    private static final class JvmRunner implements SequenceRunner {
        private final LinearAttentionLayer layer;
        private final AttentionState state;
        private final int tokens;

        JvmRunner(LinearAttentionLayer layer, AttentionState state, int tokens) {
            this.layer = layer;
            this.state = state;
            this.tokens = tokens;
        }

        @Override
        public Backend backend() {
            return Backend.JVM;
        }

        @Override
        public int tokens() {
            return tokens;
        }

        @Override
        public void run(float[] xs, float[] ys) {
            layer.forward(state, xs, tokens, ys); // checked by CheckedSequence and again by the layer
        }

        @Override
        public void syncState() {
            // the state lives on the heap
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}

package dev.unroll.runtime.attention;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;

/**
 * Opens a {@link SequenceRunner} for a layer on a backend: the generated {@code FooTornado} glue, found
 * through {@link dev.unroll.runtime.backend.DeviceGlue} so that nothing here links TornadoVM, or the layer's own JVM kernels. The glue runs the
 * scalar kernels; a layer of another flavour is moved into the scalar layout for it, so a layer from
 * {@code seeded()} or {@code load()} works as it is.
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
     * @return a runner on that backend
     * @throws UnrollException when TornadoVM is asked for and cannot run this layer, naming what is missing
     */
    public static SequenceRunner open(LinearAttentionLayer layer, AttentionState state, int tokens, Backend backend) {
        dev.unroll.runtime.internal.Checks.notNull("LinearAttentionRunners.open: layer", layer);
        dev.unroll.runtime.internal.Checks.notNull("LinearAttentionRunners.open: state", state);
        if (tokens < 1) {
            throw new UnrollException("tokens (" + tokens + ") must be >= 1");
        }
        AttentionGlue glue = DeviceGlues.find(AttentionGlue.class, layer.getClass());
        Backend b = Backend.resolve(backend, glue, layer.getClass());
        if (b == Backend.TORNADOVM) {
            DeviceIndex device = DeviceIndex.fromProperty();
            return DeviceGlues.open(glue, () -> glue.open(layer, state, tokens, device));
        }
        return new JvmRunner(layer, state, tokens);
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
            dev.unroll.runtime.internal.Checks.notNull("run: xs", xs);
            dev.unroll.runtime.internal.Checks.notNull("run: ys", ys);
            long n = (long) tokens * layer.spec().width();
            if (xs.length != n || ys.length != n) {
                throw new UnrollException("chunk: expected inputs and outputs of " + n + " floats ([" + tokens + "][" + layer.spec().width()
                        + "]), got " + xs.length + " and " + ys.length);
            }
            layer.forward(state, xs, tokens, ys);
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

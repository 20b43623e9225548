package dev.unroll.runtime.attention;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.internal.GeneratedLinearAttention;
import dev.unroll.runtime.internal.Glue;

/**
 * Opens a {@link SequenceRunner} for a layer on a backend: the generated {@code FooTornado} glue, loaded
 * by reflection so that nothing here links TornadoVM, or the layer's own JVM kernels. The glue runs the
 * scalar kernels; a layer of another flavour is moved into the scalar layout for it, so a layer from
 * {@code seeded()} or {@code load()} works as it is.
 */
public final class LinearAttentionRunners {
    /** Selects the TornadoVM device as {@code backend:device}, the notation of {@code tornado --devices}. */
    public static final String DEVICE_PROPERTY = Glue.DEVICE_PROPERTY;

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
        if (tokens < 1) {
            throw new UnrollException("tokens (" + tokens + ") must be >= 1");
        }
        String glue = glueClass(layer);
        Backend b = Backend.resolve(backend, glue, layer.getClass().getClassLoader());
        if (b == Backend.TORNADOVM) {
            GeneratedLinearAttention scalar = ((GeneratedLinearAttention) layer).withFlavour(Flavour.SCALAR);
            return Glue.construct(glue, layer.getClass().getClassLoader(), new Class<?>[] {layer.getClass(), AttentionState.class, int.class},
                    new Object[] {scalar, state, tokens}, SequenceRunner.class);
        }
        return new JvmRunner(layer, state, tokens);
    }

    /** @return {@code pkg.FooTornado} for a generated {@code pkg.FooLayer}, else null */
    static String glueClass(LinearAttentionLayer layer) {
        return layer instanceof GeneratedLinearAttention ? glueClass(layer.getClass().getName()) : null;
    }

    /**
     * @param layerClass binary name of a generated layer class, {@code pkg.FooLayer}
     * @return the name its TornadoVM glue has when generated, {@code pkg.FooTornado}; null for another name
     */
    public static String glueClass(String layerClass) {
        return Glue.glueName(layerClass, "Layer");
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
            int n = tokens * layer.spec().width();
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

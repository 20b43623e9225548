package dev.unroll.runtime.attention;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Opens a {@link SequenceRunner} for a generated layer on the backend {@link Backend#choose} picks:
 * the generated {@code FooTornado} glue, loaded by reflection so that nothing here links TornadoVM, or
 * the layer's own JVM kernels.
 */
public final class LinearAttentionRunners {
    /** Selects the TornadoVM device as {@code backend:device}, the notation of {@code tornado --devices}. */
    public static final String DEVICE_PROPERTY = "unroll.tornado.device";

    private LinearAttentionRunners() {}

    /**
     * @param layer a layer (generated, for the TornadoVM backend)
     * @param state the stream
     * @param tokens tokens per chunk
     * @return a runner on the chosen backend
     */
    public static SequenceRunner open(LinearAttentionLayer layer, AttentionState state, int tokens) {
        if (tokens < 1) {
            throw new UnrollException("tokens (" + tokens + ") must be >= 1");
        }
        String glue = glueClass(layer);
        Backend backend = glue == null ? Backend.choose("", LinearAttentionRunners.class.getClassLoader())
                : Backend.choose(glue, layer.getClass().getClassLoader());
        if (backend == Backend.TORNADOVM) {
            if (glue == null) {
                throw new UnrollException("TornadoVM backend requested but " + layer.implementation() + " is not a generated layer");
            }
            return tornado(glue, layer, state, tokens);
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
        return layerClass.endsWith("Layer") ? layerClass.substring(0, layerClass.length() - "Layer".length()) + "Tornado" : null;
    }

    private static SequenceRunner tornado(String glue, LinearAttentionLayer layer, AttentionState state, int tokens) {
        int[] device = device(System.getProperty(DEVICE_PROPERTY));
        try {
            Class<?> c = Class.forName(glue, true, layer.getClass().getClassLoader());
            Constructor<?> ctor = c.getConstructor(layer.getClass(), AttentionState.class, int.class, int.class, int.class);
            return (SequenceRunner) ctor.newInstance(layer, state, tokens, device[0], device[1]);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new UnrollException("TornadoVM glue " + glue + " failed: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnrollException("TornadoVM glue " + glue + " could not be loaded: " + e, e);
        }
    }

    /** @return {backend, device}, {-1, -1} for TornadoVM's default */
    static int[] device(String spec) {
        if (spec == null || spec.isBlank()) {
            return new int[] {-1, -1};
        }
        String[] parts = spec.trim().split(":");
        try {
            if (parts.length == 2) {
                int b = Integer.parseInt(parts[0]);
                int d = Integer.parseInt(parts[1]);
                if (b >= 0 && d >= 0) {
                    return new int[] {b, d};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UnrollException("-D" + DEVICE_PROPERTY + "=" + spec + ": expected backend:device, e.g. 0:1 (see tornado --devices)");
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

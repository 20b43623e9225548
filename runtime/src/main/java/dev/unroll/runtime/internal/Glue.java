package dev.unroll.runtime.internal;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Loads a generated TornadoVM glue class by reflection, so that no runtime class links TornadoVM, and
 * turns its failures into {@link UnrollException}s that name the glue.
 */
public final class Glue {
    /** Selects the TornadoVM device as {@code backend:device}, the notation of {@code tornado --devices}. */
    public static final String DEVICE_PROPERTY = "unroll.tornado.device";

    /**
     * TornadoVM 5.2 sizes the buffer of a compiled task graph from this property, read once when its graph
     * compiler first loads; the default (4096 bytes) holds about 40 tasks, fewer than a decoder's layers.
     */
    public static final String GRAPH_BYTECODE_PROPERTY = "tornado.tvm.maxbytecodesize";

    /** What Unroll sets {@value #GRAPH_BYTECODE_PROPERTY} to when it is unset: room for every graph the glue builds. */
    public static final String GRAPH_BYTECODE_SIZE = "262144";

    private Glue() {}

    /**
     * @param generatedClass binary name of a generated {@code pkg.FooLayer} or {@code pkg.FooModel}
     * @param suffix the suffix to replace ({@code Layer} or {@code Model})
     * @return the name its glue has when generated, {@code pkg.FooTornado}; null for another name
     */
    public static String glueName(String generatedClass, String suffix) {
        return generatedClass.endsWith(suffix) ? generatedClass.substring(0, generatedClass.length() - suffix.length()) + "Tornado" : null;
    }

    /**
     * Constructs the glue with its declared constructor of these parameter types, then the device indices.
     *
     * @param glue binary name of the glue class
     * @param loader where it lives
     * @param types the leading constructor parameter types (two ints for the device follow)
     * @param args the leading arguments
     * @param <T> the runtime interface the glue implements
     * @param type that interface
     * @return the glue, its plan built (and kernels compiled)
     */
    public static <T> T construct(String glue, ClassLoader loader, Class<?>[] types, Object[] args, Class<T> type) {
        int[] device = device(System.getProperty(DEVICE_PROPERTY));
        if (System.getProperty(GRAPH_BYTECODE_PROPERTY) == null) {
            System.setProperty(GRAPH_BYTECODE_PROPERTY, GRAPH_BYTECODE_SIZE);
        }
        Class<?>[] all = java.util.Arrays.copyOf(types, types.length + 2);
        all[types.length] = int.class;
        all[types.length + 1] = int.class;
        Object[] values = java.util.Arrays.copyOf(args, args.length + 2);
        values[args.length] = device[0];
        values[args.length + 1] = device[1];
        try {
            Class<?> c = Class.forName(glue, true, loader);
            Constructor<?> ctor = c.getConstructor(all);
            return type.cast(ctor.newInstance(values));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnrollException u) {
                throw u;
            }
            // TornadoVM reports a kernel it cannot compile (with -Dtornado.recover.bailout=False) by an exception here
            String hint = String.valueOf(cause.getMessage()).contains("maxbytecodesize")
                    ? " (TornadoVM read its graph buffer size before Unroll could raise it: start the JVM with -D" + GRAPH_BYTECODE_PROPERTY + "="
                            + GRAPH_BYTECODE_SIZE + ")"
                    : "";
            // TornadoVM colours its messages for a terminal: keep the text
            String message = String.valueOf(cause).replaceAll("\u001b\\[[0-9;]*m", "");
            throw new UnrollException("TornadoVM glue " + glue + " failed (no fallback to the JVM: ask for it with -D" + Backend.PROPERTY
                    + "=jvm): " + message + hint, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnrollException("TornadoVM glue " + glue + " could not be loaded: " + e, e);
        }
    }

    /**
     * @param spec the property value, {@code backend:device}
     * @return {backend, device}, {-1, -1} for TornadoVM's default
     */
    public static int[] device(String spec) {
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
}

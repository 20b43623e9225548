package dev.unroll.runtime.backend;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Finds the generated TornadoVM glue of a layer or model ({@link DeviceGlue} providers) and opens it,
 * turning TornadoVM's failures into {@link UnrollException}s that name the glue.
 */
public final class DeviceGlues {
    /**
     * TornadoVM 5.2 sizes the buffer of a compiled task graph from this property, read once when its graph
     * compiler first loads; the default (4096 bytes) holds about 40 tasks, fewer than a decoder's layers.
     */
    public static final String GRAPH_BYTECODE_PROPERTY = "tornado.tvm.maxbytecodesize";

    /** What Unroll sets {@value #GRAPH_BYTECODE_PROPERTY} to when it is unset: room for every graph the glue builds. */
    public static final String GRAPH_BYTECODE_SIZE = "262144";

    private DeviceGlues() {}

    /**
     * @param kind the family's glue interface
     * @param generated the generated layer or model class
     * @param <G> that interface
     * @return its glue, or null when none was generated (or none is visible from the class's loader)
     */
    public static <G extends DeviceGlue> G find(Class<G> kind, Class<?> generated) {
        return find(kind, Checks.notNull("DeviceGlues.find: the generated class", generated).getName(), generated.getClassLoader());
    }

    /**
     * @param kind the family's glue interface ({@link DeviceGlue} for any)
     * @param generatedClass binary name of the generated layer or model class
     * @param loader where to look
     * @param <G> that interface
     * @return its glue, or null when none was generated
     */
    public static <G extends DeviceGlue> G find(Class<G> kind, String generatedClass, ClassLoader loader) {
        Checks.notNull("DeviceGlues.find: the glue interface", kind);
        Checks.notNull("DeviceGlues.find: the generated class's name", generatedClass);
        Iterator<DeviceGlue> it = ServiceLoader.load(DeviceGlue.class, loader).iterator();
        while (true) {
            DeviceGlue g;
            try {
                if (!it.hasNext()) {
                    return null;
                }
                g = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                continue; // a provider that cannot load here (another build's glue): not ours
            }
            if (kind.isInstance(g) && g.runs().equals(generatedClass)) {
                return kind.cast(g);
            }
        }
    }

    /**
     * Opens a runner through a glue: builds its task graph and compiles its kernels.
     *
     * @param glue the glue, for messages
     * @param open builds the runner
     * @param <T> the runner
     * @return it
     * @throws UnrollException when TornadoVM cannot build or compile it (there is no fallback to the JVM)
     */
    public static <T> T open(DeviceGlue glue, Supplier<T> open) {
        Checks.notNull("DeviceGlues.open: glue", glue);
        Checks.notNull("DeviceGlues.open: open", open);
        String name = "for " + glue.runs();
        if (System.getProperty(GRAPH_BYTECODE_PROPERTY) == null) {
            System.setProperty(GRAPH_BYTECODE_PROPERTY, GRAPH_BYTECODE_SIZE);
        }
        try {
            return open.get();
        } catch (UnrollException e) {
            throw e;
        } catch (LinkageError e) {
            throw new UnrollException("TornadoVM glue " + name + " could not be loaded: " + e, e);
        } catch (RuntimeException e) {
            // TornadoVM reports a kernel it cannot compile (with -Dtornado.recover.bailout=False) by an exception here
            String hint = String.valueOf(e.getMessage()).contains("maxbytecodesize")
                    ? " (TornadoVM read its graph buffer size before Unroll could raise it: start the JVM with -D" + GRAPH_BYTECODE_PROPERTY + "="
                            + GRAPH_BYTECODE_SIZE + ")"
                    : "";
            // TornadoVM colours its messages for a terminal: keep the text
            String message = String.valueOf(e).replaceAll("\u001b\\[[0-9;]*m", "");
            throw new UnrollException("TornadoVM glue " + name + " failed (no fallback to the JVM: ask for it with -D" + Backend.PROPERTY
                    + "=jvm): " + message + hint, e);
        }
    }
}

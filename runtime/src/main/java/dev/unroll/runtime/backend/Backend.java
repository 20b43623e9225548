package dev.unroll.runtime.backend;

import dev.unroll.runtime.UnrollException;
import java.util.Locale;

/**
 * Where generated kernels run: on the JVM (the scalar or SIMD flavour, see
 * {@link dev.unroll.runtime.Flavour}) or offloaded by TornadoVM through a generated glue class.
 *
 * <p>{@link #choose} never links a TornadoVM class: TornadoVM counts as present when its launcher set
 * {@value #TORNADO_RUNTIME_PROPERTY} (every {@code tornado-argfile} does). {@code -D}{@value #PROPERTY}
 * {@code =jvm|tornadovm} forces a backend; {@link #describe()} reports the choice.
 */
public enum Backend {
    /** The JVM kernels. */
    JVM,
    /** The generated TornadoVM glue: task graphs over the scalar kernels, run on an OpenCL/PTX device. */
    TORNADOVM;

    /** The system property that forces a backend. */
    public static final String PROPERTY = "unroll.backend";

    /** Set by TornadoVM's launcher to its API implementation class; its presence means the runtime is loaded. */
    public static final String TORNADO_RUNTIME_PROPERTY = "tornado.load.api.implementation";

    /** @return whether this JVM was started with the TornadoVM runtime */
    public static boolean tornadoRuntimePresent() {
        return System.getProperty(TORNADO_RUNTIME_PROPERTY) != null;
    }

    /**
     * The backend to run.
     *
     * @param glue the generated TornadoVM glue for this descriptor ({@link DeviceGlues#find}), or null when there is none
     * @param runs the layer or model class (for messages)
     * @return TORNADOVM when forced, or when not forced and both the runtime and the glue are present; else JVM
     * @throws UnrollException when TornadoVM is forced but cannot run, or the property is malformed
     */
    public static Backend choose(DeviceGlue glue, Class<?> runs) {
        return resolve(null, glue, runs);
    }

    /**
     * The backend to run when the caller may ask for one.
     *
     * @param requested the backend the caller asks for, or null to let {@code -Dunroll.backend} and availability decide
     * @param glue the generated TornadoVM glue for this descriptor, or null when there is none
     * @param runs the layer or model class (for messages)
     * @return the requested backend (checked), else as {@link #choose}
     * @throws UnrollException when TornadoVM is asked for but cannot run, or the property is malformed
     */
    public static Backend resolve(Backend requested, DeviceGlue glue, Class<?> runs) {
        Backend b = requested != null ? requested : forced();
        if (b == TORNADOVM) {
            check(glue, runs);
        }
        if (b != null) {
            return b;
        }
        return tornadoRuntimePresent() && glue != null ? TORNADOVM : JVM;
    }

    /** @return the backend {@code -Dunroll.backend} forces, or null */
    private static Backend forced() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null) {
            return null;
        }
        try {
            return valueOf(forced.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnrollException("-D" + PROPERTY + "=" + forced + ": expected jvm or tornadovm");
        }
    }

    private static void check(DeviceGlue glue, Class<?> runs) {
        if (glue == null) {
            throw new UnrollException("TornadoVM backend requested but " + runs.getName() + " has no TornadoVM glue: only generated layers and models "
                    + "have it, when their descriptor is compiled with "
                    + "io.github.beehive-lab:tornado-api on the class path (mvn -Ptornadovm), F32 precision and F32 weights (compact weights run on the JVM only)");
        }
        if (!tornadoRuntimePresent()) {
            throw new UnrollException("TornadoVM backend requested but the TornadoVM runtime is not loaded (" + TORNADO_RUNTIME_PROPERTY
                    + " is unset): start the JVM with the tornado launcher or java @$TORNADOVM_HOME/tornado-argfile");
        }
    }

    /** @return a one-line report, e.g. {@code JVM (TornadoVM runtime not loaded)} */
    public String describe() {
        if (this == TORNADOVM) {
            return "TornadoVM on " + TornadoDevices.describe();
        }
        return "JVM" + (tornadoRuntimePresent() ? "" : " (TornadoVM runtime not loaded)");
    }
}

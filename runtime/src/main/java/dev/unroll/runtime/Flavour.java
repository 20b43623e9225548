package dev.unroll.runtime;

import dev.unroll.runtime.internal.VectorInfo;
import java.util.Locale;

/**
 * Which kernel flavour runs. Generated kernels come in a scalar flavour (plain loops; the reference,
 * the fallback, TornadoVM-compatible) and a SIMD flavour (Vector API). {@link #choose} picks SIMD
 * when the {@code jdk.incubator.vector} module is present at run time, unless
 * {@code -Dunroll.flavour=scalar|simd} forces one; {@link #describe()} reports the choice.
 */
public enum Flavour {
    /** Scalar loops. */
    SCALAR,
    /** Vector API. */
    SIMD;

    /** The system property that forces a flavour. */
    public static final String PROPERTY = "unroll.flavour";

    /** @return whether {@code jdk.incubator.vector} is in the boot layer (run with --add-modules jdk.incubator.vector) */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The flavour to run.
     *
     * @param simdGenerated whether the SIMD flavour was generated (the module was visible at compile time)
     * @return SIMD when generated, present and not forced off; else SCALAR
     * @throws UnrollException when SIMD is forced but cannot run
     */
    public static Flavour choose(boolean simdGenerated) {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            Flavour f;
            try {
                f = valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UnrollException("-D" + PROPERTY + "=" + forced + ": expected scalar or simd");
            }
            return check(f, simdGenerated);
        }
        return simdGenerated && vectorModulePresent() ? SIMD : SCALAR;
    }

    /**
     * @param requested a flavour asked for explicitly
     * @param simdGenerated whether the SIMD flavour was generated
     * @return the flavour, if it can run
     */
    public static Flavour check(Flavour requested, boolean simdGenerated) {
        if (requested == SIMD && !simdGenerated) {
            throw new UnrollException("SIMD flavour requested but not generated: compile with --add-modules jdk.incubator.vector");
        }
        if (requested == SIMD && !vectorModulePresent()) {
            throw new UnrollException("SIMD flavour requested but jdk.incubator.vector is not present: run with --add-modules jdk.incubator.vector");
        }
        return requested;
    }

    /** @return a one-line report, e.g. {@code SIMD (jdk.incubator.vector, 512-bit)} */
    public String describe() {
        if (this == SCALAR) {
            return "scalar" + (vectorModulePresent() ? "" : " (jdk.incubator.vector not present)");
        }
        return "SIMD (jdk.incubator.vector, " + VectorInfo.preferredBits() + "-bit)";
    }
}

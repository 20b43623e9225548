package dev.unroll.processor.plan;

import dev.unroll.annotations.Precision;
import java.util.List;
import java.util.Set;

/**
 * A kernel class to emit: its constants, helpers and methods in a flavour-neutral IR, plus the
 * decisions the planner made (unrolling, fusion) for the class javadoc and {@code unroll inspect}.
 *
 * @param packageName package of the generated classes
 * @param baseName base of the generated class names (the annotated type's simple name)
 * @param descriptor the descriptor, rendered as annotation source
 * @param annotatedType qualified name of the annotated type
 * @param precision REAL's precision
 * @param constants static final ints
 * @param helpers scalar helpers needed
 * @param methods kernel methods in emission order
 * @param decisions human-readable planning decisions
 * @param unrollLimit constant loops inside macro operations with at most this many iterations are unrolled
 */
public record KernelPlan(
        String packageName,
        String baseName,
        String descriptor,
        String annotatedType,
        Precision precision,
        List<Constant> constants,
        Set<Helper> helpers,
        List<KernelMethod> methods,
        List<String> decisions,
        int unrollLimit) {

    /** @return simple name of the scalar kernel class */
    public String scalarClass() {
        return baseName + "Kernels";
    }

    /** @return simple name of the TornadoVM kernel class (emitted only when TornadoVM's API is visible) */
    public String deviceClass() {
        return baseName + "TornadoKernels";
    }

    /** @return simple name of the SIMD kernel class */
    public String simdClass() {
        return baseName + "SimdKernels";
    }

    /**
     * @param name an int constant's name
     * @return its value
     */
    public int constant(String name) {
        for (Constant c : constants) {
            if (c.name().equals(name) && c.type() == Type.INT) {
                return (int) c.value();
            }
        }
        throw new IllegalArgumentException("no constant " + name);
    }

    /**
     * @param name a name
     * @return whether it is an int constant of this plan
     */
    public boolean isIntConstant(String name) {
        for (Constant c : constants) {
            if (c.name().equals(name) && c.type() == Type.INT) {
                return true;
            }
        }
        return false;
    }
}

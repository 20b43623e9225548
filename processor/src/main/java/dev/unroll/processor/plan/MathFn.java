package dev.unroll.processor.plan;

/**
 * Maths functions the IR may call. The scalar emitter renders them as {@code (float) Math.f(x)} or
 * {@code Math.f(x)}; with TornadoVM visible, as {@code TornadoMath.f(x)} (bit-identical on the JVM).
 */
public enum MathFn implements Callee {
    /** e^x. */
    EXP,
    /** natural log. */
    LOG,
    /** square root. */
    SQRT,
    /** hyperbolic tangent. */
    TANH,
    /** larger of two. */
    MAX,
    /** smaller of two. */
    MIN,
    /** absolute value. */
    ABS;

    /** @return the java.lang.Math method name */
    @Override
    public String javaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.unroll.processor.plan;

/**
 * What an IR call names: a maths function ({@link MathFn}), a helper the kernel class carries
 * ({@link Helper}), or another method of the plan ({@link Method}). The set is closed, so every
 * lowering and check handles each kind.
 */
public sealed interface Callee permits MathFn, Helper, Callee.Method {
    /** @return the name in Java source */
    String javaName();

    /**
     * A method of the same kernel plan.
     *
     * @param name its name
     */
    record Method(String name) implements Callee {
        @Override
        public String javaName() {
            return name;
        }
    }
}

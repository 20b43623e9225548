package dev.unroll.processor.plan;

/**
 * A {@code public static final} constant of the kernel class: every dimension is one, and so is
 * every fixed real parameter (rendered in the plan's precision).
 *
 * @param name constant name
 * @param type {@link Type#INT} or {@link Type#REAL}
 * @param value value (exact for ints)
 * @param doc javadoc text
 */
public record Constant(String name, Type type, double value, String doc) {
    /**
     * @param name n
     * @param value v
     * @param doc d
     * @return an int constant
     */
    public static Constant ofInt(String name, int value, String doc) {
        return new Constant(name, Type.INT, value, doc);
    }

    /**
     * @param name n
     * @param value v
     * @param doc d
     * @return a real constant
     */
    public static Constant ofReal(String name, double value, String doc) {
        return new Constant(name, Type.REAL, value, doc);
    }
}

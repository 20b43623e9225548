package dev.unroll.runtime;

import java.util.Arrays;

/** A tensor or argument whose shape is not the one the kernel was generated for. */
public final class ShapeMismatchException extends UnrollException {
    private static final long serialVersionUID = 1L;

    /** The tensor or argument. */
    private final String name;
    /** The shape the kernel was generated for. */
    private final long[] expected;
    /** The shape given. */
    private final long[] actual;

    /**
     * @param name the tensor or argument name
     * @param expected the shape the kernel needs
     * @param actual the shape it got
     */
    public ShapeMismatchException(String name, long[] expected, long[] actual) {
        this(null, name, expected, actual);
    }

    /**
     * @param where what holds the tensor (a file, for the message), or null
     * @param name the tensor or argument
     * @param expected the shape wanted
     * @param actual the shape found
     */
    public ShapeMismatchException(String where, String name, long[] expected, long[] actual) {
        super((where == null ? "" : UnrollException.safe(where) + ": ") + "'" + name + "': expected shape " + Arrays.toString(expected) + ", got "
                + Arrays.toString(actual));
        this.name = name;
        // an exception about shapes must not itself fail on a missing one
        this.expected = expected == null ? new long[0] : expected.clone();
        this.actual = actual == null ? new long[0] : actual.clone();
    }

    /** @return the tensor or argument name */
    public String name() {
        return name;
    }

    /** @return the expected shape */
    public long[] expected() {
        return expected.clone();
    }

    /** @return the actual shape */
    public long[] actual() {
        return actual.clone();
    }

    /**
     * Checks a flat array argument's length.
     *
     * @param name argument name for the message
     * @param expected required length
     * @param actual the length given
     * @throws ShapeMismatchException when they differ
     */
    public static void checkLength(String name, long expected, long actual) {
        if (expected != actual) {
            throw new ShapeMismatchException(name, new long[] {expected}, new long[] {actual});
        }
    }
}

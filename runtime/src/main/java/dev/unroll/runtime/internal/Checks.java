package dev.unroll.runtime.internal;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
/** Argument checks whose messages name the argument, the rule and the value. */
public final class Checks {
    private Checks() {}

    /**
     * @param name argument name
     * @param array the array (must not be null)
     * @param length the required length
     * @return the array
     */
    public static float[] length(String name, float[] array, int length) {
        if (array == null) {
            throw new UnrollException("'" + name + "' must not be null");
        }
        ShapeMismatchException.checkLength(name, length, array.length);
        return array;
    }

    /**
     * @param name argument name
     * @param array the array (must not be null)
     * @param length the required length
     * @return the array
     */
    public static double[] length(String name, double[] array, int length) {
        if (array == null) {
            throw new UnrollException("'" + name + "' must not be null");
        }
        ShapeMismatchException.checkLength(name, length, array.length);
        return array;
    }

    /**
     * @param name argument name
     * @param value the value
     * @return the value, when at least 1
     */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new UnrollException(name + " (" + value + ") must be >= 1");
        }
        return value;
    }

    /**
     * @param name argument name
     * @param array the array (must not be null)
     * @param minLength the length needed
     * @return the array
     */
    public static float[] atLeast(String name, float[] array, long minLength) {
        if (array == null) {
            throw new UnrollException("'" + name + "' must not be null");
        }
        if (array.length < minLength) {
            throw new ShapeMismatchException(name, new long[] {minLength}, new long[] {array.length});
        }
        return array;
    }

    /**
     * @param name argument name
     * @param array the array (must not be null)
     * @param minLength the length needed
     * @return the array
     */
    public static double[] atLeast(String name, double[] array, long minLength) {
        if (array == null) {
            throw new UnrollException("'" + name + "' must not be null");
        }
        if (array.length < minLength) {
            throw new ShapeMismatchException(name, new long[] {minLength}, new long[] {array.length});
        }
        return array;
    }
}

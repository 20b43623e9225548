package dev.unroll.runtime.internal;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
/** Argument checks whose messages name the argument, the rule and the value. */
public final class Checks {
    private Checks() {}

    /**
     * @param what the argument, with where it is given (e.g. {@code "GenericTrm: weights"})
     * @param value the argument
     * @param <T> its type
     * @return the value, when not null
     * @throws dev.unroll.runtime.UnrollException naming the argument when it is null
     */
    public static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new UnrollException(what + " is null (required)");
        }
        return value;
    }

    /**
     * @param what the array, with where it is given
     * @param array a reference array
     * @param <T> its element type
     * @return the array, when it and every element are non-null
     */
    public static <T> T[] noNulls(String what, T[] array) {
        notNull(what, array);
        for (int i = 0; i < array.length; i++) {
            if (array[i] == null) {
                throw new UnrollException(what + "[" + i + "] is null (required)");
            }
        }
        return array;
    }

    /**
     * @param what the collection, with where it is given
     * @param values a collection
     * @param <C> its type
     * @return it, when it and every element are non-null
     */
    public static <C extends java.util.Collection<?>> C noNulls(String what, C values) {
        notNull(what, values);
        int i = 0;
        for (Object v : values) {
            if (v == null) {
                throw new UnrollException(what + " holds null at " + i + " (every element is required)");
            }
            i++;
        }
        return values;
    }

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
     * The rule of every read of a range of a matrix's rows (a file's, a model's weights'): at least
     * one row, all within the matrix.
     *
     * @param what the matrix, as the message names it (e.g. {@code 'token_embd.weight'})
     * @param first the first row wanted
     * @param count rows wanted
     * @param rows the matrix's rows
     * @return null when the range is within the matrix, else what is wrong, to follow the caller's prefix
     */
    public static String rowRangeError(String what, int first, int count, long rows) {
        if (first >= 0 && count >= 1 && first <= rows - count) {
            return null;
        }
        return "rows " + first + " to " + ((long) first + count - 1) + " of " + what + ": the matrix has rows 0 to " + (rows - 1) + " (first >= 0, count >= 1)";
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

    /**
     * A whole-number system property: a setting the user typed on the command line, so a value that
     * is not a number in range is an error naming it, never silently the default.
     *
     * @param key the property, without {@code -D}
     * @param absent the value when it is unset
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @param what what it sets, for the message
     * @return its value, or {@code absent}
     * @throws UnrollException when it is set to anything but a whole number in [min, max]
     */
    public static long longProperty(String key, long absent, long min, long max, String what) {
        String v = System.getProperty(key);
        if (v == null) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            n = min - 1;
        }
        if (n < min || n > max) {
            throw new UnrollException("-D" + key + "=" + v + ": " + what + " must be a whole number in [" + min + ", " + max + "]");
        }
        return n;
    }
}

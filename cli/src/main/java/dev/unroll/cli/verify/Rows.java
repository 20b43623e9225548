package dev.unroll.cli.verify;

import dev.unroll.runtime.UnrollException;
import java.util.Optional;

/**
 * Expected values for a subset of tokens: a golden file may hold {@code expected.NAME} for some
 * tokens only, listed (ascending, 0-based) in the I32 tensor {@code expected.NAME.index}; the
 * computed rows of those tokens are compared, the others are not. Reference implementations that
 * store every k-th token export that way.
 */
final class Rows {
    private Rows() {}

    /**
     * @param golden the file
     * @param expectedName an {@code expected.*} tensor
     * @return its token index, when the file gives one
     */
    static Optional<int[]> index(GoldenFile golden, String expectedName) {
        String name = expectedName + ".index";
        return golden.file().contains(name) ? Optional.of(golden.file().ints(name)) : Optional.empty();
    }

    /**
     * Checks an index before anything is computed or allocated from it: not empty, ascending, within
     * the rows computed (so never longer than they are).
     *
     * @param source the file, for messages
     * @param name the expected tensor
     * @param index the rows to keep
     * @param rows the rows that will be computed
     */
    static void check(String source, String name, int[] index, int rows) {
        if (index.length == 0) {
            throw new UnrollException(source + ": " + name + ".index is empty: nothing to verify");
        }
        for (int i = 0; i < index.length; i++) {
            int r = index[i];
            if (r < 0 || r >= rows || (i > 0 && r <= index[i - 1])) {
                throw new UnrollException(source + ": " + name + ".index[" + i + "] = " + r + ": indices must ascend within the " + rows
                        + " tokens computed" + (index.length > rows ? " (it lists " + index.length + ")" : ""));
            }
        }
    }

    /**
     * @param source the file, for messages
     * @param name the expected tensor
     * @param all the computed rows, {@code rows x width}
     * @param width values per row
     * @param index the rows to keep, ascending
     * @return those rows
     */
    static double[] select(String source, String name, double[] all, int width, int[] index) {
        check(source, name, index, all.length / width);
        double[] out = new double[index.length * width];
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(all, index[i] * width, out, i * width, width);
        }
        return out;
    }
}

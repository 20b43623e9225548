package dev.unroll.runtime.weights;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;

/**
 * A matrix in a block format ({@link WeightFormat#Q8} or {@link WeightFormat#Q4}) before it is laid
 * out for the kernels: every weight's code, row-major, and every row's block scales. It is how a
 * quantised tensor travels from a file (a GGUF Q8_0 or Q4_0 tensor) to a model without being widened
 * and quantised again: the codes and scales are the file's.
 *
 * @param format Q8 (codes are the signed weights' multiples of the scale) or Q4 (codes in [0, 15],
 *     a weight is {@code (code - 8) * scale})
 * @param rows rows
 * @param cols columns (the reduction dimension, cut into blocks of 32)
 * @param codes {@code rows * cols} codes, row-major (kept, not copied: do not modify)
 * @param scales {@code rows * blocks} scales (binary16 values), row-major, block {@code b} covering
 *     columns {@code 32b .. 32b + 31} (kept, not copied: do not modify)
 */
public record BlockCodes(WeightFormat format, int rows, int cols, byte[] codes, float[] scales) {
    /** Weights per block. */
    public static final int BLOCK = 32;
    /** The largest scale a block holds: binary16's largest finite value. */
    private static final float MAX_SCALE = 65504f;

    /**
     * @param format Q8 or Q4
     * @param rows rows
     * @param cols columns
     * @param codes the codes, row-major
     * @param scales the block scales, row-major
     * @throws UnrollException for a format without blocks, a shape that is not positive, arrays of
     *     the wrong length, a Q4 code outside [0, 15] or a scale that is not a finite binary16 value
     */
    public BlockCodes {
        Checks.notNull("BlockCodes: format", format);
        if (format != WeightFormat.Q8 && format != WeightFormat.Q4) {
            throw new UnrollException("BlockCodes: format " + format + " has no blocks (Q8 and Q4 do)");
        }
        if (rows < 1 || cols < 1) {
            throw new UnrollException("BlockCodes: a matrix of " + rows + " x " + cols + "; both must be at least 1");
        }
        ShapeMismatchException.checkLength("BlockCodes: the codes", (long) rows * cols, Checks.notNull("BlockCodes: codes", codes).length);
        ShapeMismatchException.checkLength("BlockCodes: the scales", (long) rows * blocks(cols), Checks.notNull("BlockCodes: scales", scales).length);
        if (format == WeightFormat.Q4) {
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] < 0 || codes[i] > 15) {
                    throw new UnrollException("BlockCodes: Q4 code " + i + " is " + codes[i] + "; Q4 codes are in [0, 15]");
                }
            }
        }
        for (int i = 0; i < scales.length; i++) {
            if (!(Math.abs(scales[i]) <= MAX_SCALE)) {
                throw new UnrollException("BlockCodes: scale " + i + " (row " + i / blocks(cols) + ", block " + i % blocks(cols) + ") is " + scales[i]
                        + "; block scales are binary16 values, finite and at most " + MAX_SCALE + " in magnitude");
            }
        }
    }

    /**
     * @param cols columns
     * @return blocks per row
     */
    public static int blocks(int cols) {
        return (cols + BLOCK - 1) / BLOCK;
    }

    /**
     * Quantises a matrix as ggml's Q8_0 or Q4_0 does ({@link CompactFormats}).
     *
     * @param name the tensor, for messages
     * @param format Q8 or Q4
     * @param w the matrix, row-major {@code [rows][cols]}
     * @param rows rows
     * @param cols columns
     * @return its codes and scales
     * @throws UnrollException when a weight is not finite or too large for a binary16 scale
     */
    public static BlockCodes quantise(String name, WeightFormat format, float[] w, int rows, int cols) {
        Checks.notNull("BlockCodes.quantise: format", format);
        if (format != WeightFormat.Q8 && format != WeightFormat.Q4) {
            throw new UnrollException(name + ": format " + format + " has no blocks (Q8 and Q4 do)");
        }
        if (rows < 1 || cols < 1) {
            throw new UnrollException(name + ": a matrix of " + rows + " x " + cols + "; both must be at least 1");
        }
        ShapeMismatchException.checkLength(name, (long) rows * cols, Checks.notNull(name + ": the weights", w).length);
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new UnrollException(name + ": element " + i + " is " + w[i] + "; compact weights hold finite values only");
            }
        }
        int blocks = blocks(cols);
        byte[] codes = new byte[rows * cols];
        float[] scales = new float[rows * blocks];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < blocks; b++) {
                int from = r * cols + b * BLOCK;
                int to = r * cols + Math.min(cols, (b + 1) * BLOCK);
                scales[r * blocks + b] = CompactFormats.quantiseBlock(format, w, from, to, codes, from);
            }
        }
        return new BlockCodes(format, rows, cols, codes, scales);
    }

    /**
     * @param r a row
     * @param c a column
     * @return the weight at {@code (r, c)}: what the kernels compute with
     * @throws UnrollException when {@code (r, c)} is outside the matrix
     */
    public float value(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new UnrollException("BlockCodes.value: (" + r + ", " + c + ") is outside the " + rows + " x " + cols + " matrix");
        }
        int code = codes[r * cols + c];
        float scale = scales[r * blocks(cols) + c / BLOCK];
        return (format == WeightFormat.Q4 ? code - 8 : code) * scale;
    }

    /** @return every weight, row-major: a fresh array */
    public float[] values() {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = value(r, c);
            }
        }
        return out;
    }

    /**
     * @param first the first row wanted
     * @param count rows, at least 1
     * @return rows {@code first .. first + count - 1} as a matrix of their own (fresh arrays)
     * @throws UnrollException when the rows are not within the matrix
     */
    public BlockCodes rows(int first, int count) {
        if (first < 0 || count < 1 || first > rows - count) {
            throw new UnrollException("BlockCodes.rows: rows " + first + " to " + ((long) first + count - 1) + " of a matrix with rows 0 to " + (rows - 1)
                    + " (first >= 0, count >= 1)");
        }
        int blocks = blocks(cols);
        return new BlockCodes(format, count, cols, java.util.Arrays.copyOfRange(codes, first * cols, (first + count) * cols),
                java.util.Arrays.copyOfRange(scales, first * blocks, (first + count) * blocks));
    }
}

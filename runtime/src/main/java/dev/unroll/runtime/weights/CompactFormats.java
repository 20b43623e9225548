package dev.unroll.runtime.weights;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.internal.HalfFloats;

/**
 * The arithmetic of the compact weight formats ({@link WeightFormat}): rounding a float to
 * bfloat16, quantising a row's blocks of 32 to 8 bits with one scale each as ggml's Q8_0 does (codes
 * of {@code w / (max|w| / 127)} rounded half away from zero, the scale stored as binary16), and the
 * values a matrix holds after either (what the generated kernels compute with). Q4 is ggml's Q4_0:
 * blocks of 32 with the scale {@code d = m / -8} for the block's weight {@code m} of largest
 * magnitude (the first of equals), codes {@code min(15, trunc(w / d + 8.5))}, values
 * {@code (q - 8) d} with {@code d} stored as binary16. Stateless.
 */
public final class CompactFormats {
    /** Weights per Q8 block (along a row, the reduction dimension). */
    public static final int Q8_BLOCK = 32;
    /** Weights per Q4 block (along a row, the reduction dimension). */
    public static final int Q4_BLOCK = 32;

    private CompactFormats() {}

    /**
     * @param f a float
     * @return its bfloat16 bits (round to nearest, ties to even; NaN stays NaN)
     */
    public static short bf16Bits(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /**
     * @param bits bfloat16 bits
     * @return the float they stand for (exact)
     */
    public static float bf16Value(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** The largest Q8 step a binary16 scale holds (binary16's largest finite value). */
    private static final float MAX_SCALE = 65504f;

    /**
     * @param values a row's values
     * @param from first value of the block
     * @param to bound of the block (at most {@link #Q8_BLOCK} after {@code from})
     * @return the block's step, which its codes count: {@code max|w| / 127} (0 for an all-zero block)
     * @throws dev.unroll.runtime.UnrollException when the step does not fit a binary16 scale (weights
     *     above 8,318,976 in magnitude)
     */
    public static float q8Step(float[] values, int from, int to) {
        if (from < 0 || from > to || to > dev.unroll.runtime.internal.Checks.notNull("q8Step: values", values).length) {
            throw new dev.unroll.runtime.UnrollException("q8Step: the block [" + from + ", " + to + ") is not inside the " + values.length + " values");
        }
        float max = 0f;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        float step = max / 127f;
        if (!(step <= MAX_SCALE)) {
            throw new dev.unroll.runtime.UnrollException("q8Step: the block [" + from + ", " + to + ") holds a weight of magnitude " + max
                    + ", more than Q8's binary16 scale holds (at most 127 x 65504)");
        }
        return step;
    }

    /**
     * The scale a block stores, as ggml's Q8_0 and Q4_0 store it: the step rounded to binary16, so that
     * a block read from a GGUF file packs again to the same codes and scale.
     *
     * @param step the block's step ({@link #q8Step})
     * @return it rounded to binary16
     */
    public static float q8Scale(float step) {
        return HalfFloats.f16ToFloat(HalfFloats.floatToF16(step));
    }

    /**
     * @param value a weight
     * @param step its block's step ({@link #q8Step}, unrounded, as ggml quantises)
     * @return the 8-bit code: {@code value / step} rounded half away from zero, in [-127, 127]
     */
    public static byte q8Code(float value, float step) {
        if (step == 0f) {
            return 0;
        }
        float x = value * (1f / step);
        int q = x < 0 ? -Math.round(-x) : Math.round(x);
        return (byte) Math.max(-127, Math.min(127, q));
    }

    /**
     * @param values a row's values
     * @param from first value of the block
     * @param to bound of the block (at most {@link #Q4_BLOCK} after {@code from})
     * @return the block's Q4 step as ggml's Q4_0 computes it: {@code m / -8} for the first weight
     *     {@code m} of largest magnitude (0 for an all-zero block), before rounding to binary16
     * @throws dev.unroll.runtime.UnrollException when the step does not fit a binary16 scale (weights
     *     above 524,032 in magnitude)
     */
    public static float q4Step(float[] values, int from, int to) {
        if (from < 0 || from > to || to > dev.unroll.runtime.internal.Checks.notNull("q4Step: values", values).length) {
            throw new dev.unroll.runtime.UnrollException("q4Step: the block [" + from + ", " + to + ") is not inside the " + values.length + " values");
        }
        float amax = 0f;
        float max = 0f;
        for (int i = from; i < to; i++) {
            if (amax < Math.abs(values[i])) {
                amax = Math.abs(values[i]);
                max = values[i];
            }
        }
        float step = max / -8f;
        if (!(Math.abs(step) <= MAX_SCALE)) {
            throw new dev.unroll.runtime.UnrollException("q4Step: the block [" + from + ", " + to + ") holds a weight of magnitude " + amax
                    + ", more than Q4's binary16 scale holds (at most 8 x 65504)");
        }
        return step;
    }

    /**
     * @param value a weight
     * @param step its block's step ({@link #q4Step}, unrounded, as ggml quantises)
     * @return the 4-bit code in [0, 15]: {@code value / step + 8.5} truncated, at most 15 (8 for a zero step)
     */
    public static int q4Code(float value, float step) {
        float inverse = step != 0f ? 1f / step : 0f;
        return Math.min(15, (int) (value * inverse + 8.5f));
    }

    /**
     * Quantises one block as ggml's Q8_0 or Q4_0 does.
     *
     * @param format Q8 or Q4
     * @param w the values
     * @param from the block's first value
     * @param to its bound (at most 32 after {@code from})
     * @param codes where its codes go: Q8's signed, Q4's in [0, 15]
     * @param at the first code's index in {@code codes}
     * @return the scale the block stores (binary16-rounded)
     */
    static float quantiseBlock(WeightFormat format, float[] w, int from, int to, byte[] codes, int at) {
        if (format == WeightFormat.Q8) {
            float step = q8Step(w, from, to);
            for (int i = from; i < to; i++) {
                codes[at + i - from] = q8Code(w[i], step);
            }
            return q8Scale(step);
        }
        float step = q4Step(w, from, to);
        for (int i = from; i < to; i++) {
            codes[at + i - from] = (byte) q4Code(w[i], step);
        }
        return q8Scale(step);
    }

    /**
     * The values a row-major matrix holds once stored in {@code format}: what the kernels multiply
     * with (for F32 the matrix itself).
     *
     * @param format the format
     * @param w the matrix, row-major {@code [rows][cols]}
     * @param rows rows
     * @param cols columns
     * @return a new array of the stored values, row-major
     */
    public static float[] stored(WeightFormat format, float[] w, int rows, int cols) {
        dev.unroll.runtime.internal.Checks.notNull("CompactFormats.stored: format", format);
        if (rows < 0 || cols < 0) {
            throw new dev.unroll.runtime.UnrollException("CompactFormats.stored: a matrix of " + rows + " x " + cols);
        }
        dev.unroll.runtime.ShapeMismatchException.checkLength("CompactFormats.stored: the matrix", (long) rows * cols, dev.unroll.runtime.internal.Checks.notNull("CompactFormats.stored: w", w).length);
        float[] out = new float[rows * cols];
        byte[] codes = new byte[BlockCodes.BLOCK];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            switch (format) {
                case F32 -> System.arraycopy(w, base, out, base, cols);
                case BF16 -> {
                    for (int c = 0; c < cols; c++) {
                        out[base + c] = bf16Value(bf16Bits(w[base + c]));
                    }
                }
                case Q8, Q4 -> {
                    int offset = format == WeightFormat.Q4 ? 8 : 0;
                    for (int b = 0; b < cols; b += BlockCodes.BLOCK) {
                        int end = Math.min(cols, b + BlockCodes.BLOCK);
                        float scale = quantiseBlock(format, w, base + b, base + end, codes, 0);
                        for (int c = b; c < end; c++) {
                            out[base + c] = (codes[c - b] - offset) * scale;
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * @param format a format
     * @return bytes per weight it stores, scales included
     */
    public static double bytesPerWeight(WeightFormat format) {
        return switch (dev.unroll.runtime.internal.Checks.notNull("CompactFormats.bytesPerWeight: format", format)) {
            case F32 -> 4.0;
            case BF16 -> 2.0;
            case Q8 -> 1.0 + 4.0 / Q8_BLOCK;
            case Q4 -> 0.5 + 4.0 / Q4_BLOCK;
        };
    }
}

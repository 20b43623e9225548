package dev.unroll.runtime.codegen;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.weights.BlockCodes;
import dev.unroll.runtime.weights.CompactFormats;

/**
 * One weight matrix {@code [rows][cols]} in the layout its generated kernels read. Exactly one of
 * {@link #f32}, {@link #bf16}, {@link #q8} and {@link #q4} is set. Immutable once built; internal: generated
 * models pass the arrays to their kernels.
 *
 * <p>F32 keeps the flavour's layout (row-major for the scalar kernels, {@link #f32Panels} for SIMD).
 * The compact formats use one layout for both flavours, in panels of
 * {@link #PANEL} rows whose columns follow each other, so that a product streams the matrix
 * from start to end (one DRAM page after another) and each column of a panel is one or two
 * vector loads:
 * <ul>
 *   <li>BF16: {@code int} {@code (p * cols + c) * 32 + k} holds row {@code 64p + k} in its low 16
 *       bits and row {@code 64p + 32 + k} in its high 16 bits; a float is {@code v << 16} or
 *       {@code v & 0xFFFF0000}, no conversion instruction.</li>
 *   <li>Q8: byte {@code (p * cols + c) * 64 + k} is row {@code 64p + k}'s code at column {@code c};
 *       float {@code (p * blocks + b) * 64 + k} the scale of that row's block {@code b} (columns
 *       {@code 32b .. 32b + 31}).</li>
 *   <li>Q4: byte {@code (p * pairs + c / 2) * 64 + k} ({@code pairs = (cols + 1) / 2}) holds row
 *       {@code 64p + k}'s codes at columns {@code c} (low nibble) and {@code c + 1} (high nibble),
 *       {@code c} even; the scales as Q8's. A weight is {@code (code - 8) * scale}.</li>
 * </ul>
 * Padding rows are zero.
 */
public final class PackedMatrix {
    /** Rows per panel of the compact layouts. */
    public static final int PANEL = 64;

    /** The format. */
    public final WeightFormat format;
    /** Rows. */
    public final int rows;
    /** Columns. */
    public final int cols;
    /** F32 values in the flavour's layout, or null. */
    public final float[] f32;
    /** BF16 pairs, or null. */
    public final int[] bf16;
    /** Q8 codes, or null. */
    public final byte[] q8;
    /** Q4 code pairs, or null. */
    public final byte[] q4;
    /** Q8 or Q4 block scales, or null. */
    public final float[] scales;

    private PackedMatrix(WeightFormat format, int rows, int cols, float[] f32, int[] bf16, byte[] q8, byte[] q4, float[] scales) {
        this.format = format;
        this.rows = rows;
        this.cols = cols;
        this.f32 = f32;
        this.bf16 = bf16;
        this.q8 = q8;
        this.q4 = q4;
        this.scales = scales;
    }

    /**
     * @param name the tensor, for messages
     * @param w the matrix, row-major {@code [rows][cols]}
     * @param rows rows
     * @param cols columns
     * @param format the format
     * @param simd whether the SIMD flavour reads it (F32 only: {@link #f32Panels})
     * @return the packed matrix
     * @throws UnrollException when a compact format is asked for a weight that is not finite
     */
    public static PackedMatrix pack(String name, float[] w, int rows, int cols, WeightFormat format, boolean simd) {
        return switch (format) {
            case F32 -> new PackedMatrix(format, rows, cols, simd ? f32Panels(w, rows, cols) : w, null, null, null, null);
            case BF16 -> new PackedMatrix(format, rows, cols, null, bf16(name, w, rows, cols), null, null, null);
            case Q8, Q4 -> pack(name, BlockCodes.quantise(name, format, w, rows, cols));
        };
    }

    /**
     * Lays out codes and scales already quantised (a GGUF file's Q8_0 or Q4_0 blocks, or
     * {@link BlockCodes#quantise}) as their kernels read them: the codes and scales are kept.
     *
     * @param name the tensor, for messages
     * @param m the matrix's codes and scales
     * @return the packed matrix, in {@code m}'s format
     */
    public static PackedMatrix pack(String name, BlockCodes m) {
        dev.unroll.runtime.internal.Checks.notNull(name + ": the block codes", m);
        int rows = m.rows();
        int cols = m.cols();
        int blocks = BlockCodes.blocks(cols);
        float[] scales = new float[Math.multiplyExact(panels(rows) * PANEL, blocks)];
        boolean q4 = m.format() == WeightFormat.Q4;
        int pairs = (cols + 1) / 2;
        byte[] codes = new byte[Math.multiplyExact(panels(rows) * PANEL, q4 ? pairs : cols)];
        byte[] in = m.codes();
        for (int r = 0; r < rows; r++) {
            int p = r / PANEL;
            int k = r % PANEL;
            for (int b = 0; b < blocks; b++) {
                scales[(p * blocks + b) * PANEL + k] = m.scales()[r * blocks + b];
            }
            if (q4) {
                for (int c = 0; c < cols; c += 2) {
                    int high = c + 1 < cols ? in[r * cols + c + 1] : 0;
                    codes[(p * pairs + c / 2) * PANEL + k] = (byte) (in[r * cols + c] | high << 4);
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    codes[(p * cols + c) * PANEL + k] = in[r * cols + c];
                }
            }
        }
        return new PackedMatrix(m.format(), rows, cols, null, null, q4 ? null : codes, q4 ? codes : null, scales);
    }

    /**
     * @param values F32 values, already in the layout their kernels read
     * @return them as an F32 packed matrix (its shape is the kernels' business)
     */
    public static PackedMatrix of(float[] values) {
        return new PackedMatrix(WeightFormat.F32, 0, 0, values, null, null, null, null);
    }

    /**
     * @param rows rows
     * @return panels holding them
     */
    public static int panels(int rows) {
        return (rows + PANEL - 1) / PANEL;
    }

    /**
     * The F32 panel layout of the SIMD flavour's GEMM weights: the compact formats' panels of
     * {@link #PANEL} rows at full precision, float {@code (p * cols + c) * 64 + k} holding row
     * {@code 64p + k} at column {@code c}; padding rows are zero. A GEMM tile then reads 64 output
     * columns' weights at unit stride from one contiguous panel.
     *
     * @param w the matrix, row-major {@code [rows][cols]}
     * @param rows rows
     * @param cols columns
     * @return the panels, {@code panels(rows) * cols * 64} floats
     * @throws ShapeMismatchException when {@code w} does not hold {@code rows * cols} values
     */
    public static float[] f32Panels(float[] w, int rows, int cols) {
        if (w == null || rows < 1 || cols < 1 || w.length != (long) rows * cols) {
            throw new ShapeMismatchException("matrix", new long[] {rows, cols}, new long[] {w == null ? 0 : w.length});
        }
        float[] out = new float[Math.multiplyExact(panels(rows) * PANEL, cols)];
        for (int r = 0; r < rows; r++) {
            int base = r / PANEL * cols * PANEL + r % PANEL;
            for (int c = 0; c < cols; c++) {
                out[base + c * PANEL] = w[r * cols + c];
            }
        }
        return out;
    }

    private static int[] bf16(String name, float[] w, int rows, int cols) {
        checkFinite(name, w);
        int[] out = new int[panels(rows) * cols * (PANEL / 2)];
        for (int r = 0; r < rows; r++) {
            int p = r / PANEL;
            int k = r % PANEL;
            boolean high = k >= PANEL / 2;
            for (int c = 0; c < cols; c++) {
                int bits = CompactFormats.bf16Bits(w[r * cols + c]) & 0xFFFF;
                int at = (p * cols + c) * (PANEL / 2) + (high ? k - PANEL / 2 : k);
                out[at] |= high ? bits << 16 : bits;
            }
        }
        return out;
    }

    private static void checkFinite(String name, float[] w) {
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new UnrollException(name + ": element " + i + " is " + w[i] + "; compact weights hold finite values only");
            }
        }
    }
}

package dev.unroll.runtime.codegen;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
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
     * @throws UnrollException when {@code rows} or {@code cols} is below 1, {@code w} does not hold {@code rows * cols}
     *     values ({@link ShapeMismatchException}), or a compact format is asked for a weight that is not finite
     */
    public static PackedMatrix pack(String name, float[] w, int rows, int cols, WeightFormat format, boolean simd) {
        checkShape(name, w, rows, cols);
        return switch (Checks.notNull(name + ": the format", format)) {
            case F32 -> new PackedMatrix(format, rows, cols, simd ? f32Panels(w, rows, cols) : w, null, null, null, null);
            case BF16 -> new PackedMatrix(format, rows, cols, null, bf16(name, w, rows, cols), null, null, null);
            // a chunk of rows at a time: the codes of one chunk in flight, not of the whole matrix
            case Q8, Q4 -> pack(name, (first, count) -> java.util.Arrays.copyOfRange(w, first * cols, (first + count) * cols), rows, cols, format, simd);
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
        PackedMatrix out = allocate(m.format(), m.rows(), m.cols(), false);
        out.place(m, 0);
        return out;
    }

    /** Reads rows {@code [first, first + count)} of a matrix, row-major, each value checked finite. */
    @FunctionalInterface
    interface Rows {
        /**
         * @param first the first row
         * @param count rows
         * @return their {@code count * cols} values
         */
        float[] read(int first, int count);
    }

    /**
     * Packs a matrix read a chunk of whole panels at a time (about {@value #CHUNK_BYTES} bytes of F32),
     * so that its F32 values are never in memory whole: only the packed result and one chunk. The
     * result is the one {@link #pack(String, float[], int, int, WeightFormat, boolean)} gives for the
     * whole matrix (every layout and block is row-local).
     *
     * @param name the tensor, for messages
     * @param source its rows
     * @param rows rows
     * @param cols columns
     * @param format the format
     * @param simd whether the SIMD flavour reads it
     * @return the packed matrix
     */
    static PackedMatrix pack(String name, Rows source, int rows, int cols, WeightFormat format, boolean simd) {
        PackedMatrix out = allocate(format, rows, cols, simd);
        int step = chunkRows(cols);
        for (int first = 0; first < rows; first += step) {
            int count = Math.min(step, rows - first);
            float[] chunk = source.read(first, count);
            ShapeMismatchException.checkLength(name + " rows " + first + ".." + (first + count - 1), (long) count * cols, chunk.length);
            switch (format) {
                case F32 -> {
                    if (simd) {
                        placeF32Panels(chunk, first, count, cols, out.f32);
                    } else {
                        System.arraycopy(chunk, 0, out.f32, first * cols, chunk.length);
                    }
                }
                case BF16 -> placeBf16(name, chunk, first, count, cols, out.bf16);
                case Q8, Q4 -> out.place(BlockCodes.quantise(name, format, chunk, count, cols), first);
            }
        }
        return out;
    }

    /** A matrix of at least one row and column, {@code w} holding exactly its values. */
    private static void checkShape(String name, float[] w, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new UnrollException(name + ": a matrix of " + rows + " x " + cols + "; both must be at least 1");
        }
        ShapeMismatchException.checkLength(name, (long) rows * cols, Checks.notNull(name + ": the weights", w).length);
    }

    /** Reads rows {@code [first, first + count)} of a matrix's codes and scales. */
    @FunctionalInterface
    interface BlockRows {
        /**
         * @param first the first row
         * @param count rows
         * @return their codes and scales
         */
        BlockCodes read(int first, int count);
    }

    /**
     * Lays out a matrix's codes and scales (a file's blocks) read a chunk of whole panels at a time, as
     * {@link #pack(String, BlockCodes)} lays out the whole: one chunk's codes in flight.
     *
     * @param name the tensor, for messages
     * @param source its rows' codes and scales
     * @param rows rows
     * @param cols columns
     * @param format Q8 or Q4: what every chunk must be in
     * @return the packed matrix
     */
    static PackedMatrix packBlocks(String name, BlockRows source, int rows, int cols, WeightFormat format) {
        PackedMatrix out = allocate(format, rows, cols, false);
        int step = chunkRows(cols);
        for (int first = 0; first < rows; first += step) {
            int count = Math.min(step, rows - first);
            BlockCodes c = Checks.notNull(name + " rows " + first + ".." + (first + count - 1) + ": the block codes", source.read(first, count));
            if (c.format() != format || c.rows() != count || c.cols() != cols) {
                throw new ShapeMismatchException(name + " rows " + first + ".." + (first + count - 1) + " (" + format + ")", new long[] {count, cols},
                        new long[] {c.rows(), c.cols()});
            }
            out.place(c, first);
        }
        return out;
    }

    /** Bytes of F32 one chunk of {@link #pack(String, Rows, int, int, WeightFormat, boolean)} reads, at most (one panel at least). */
    static final int CHUNK_BYTES = 4 << 20;

    /**
     * @param cols columns
     * @return rows per chunk: whole panels, about {@link #CHUNK_BYTES} of F32
     */
    static int chunkRows(int cols) {
        return Math.max(1, CHUNK_BYTES / Float.BYTES / cols / PANEL) * PANEL;
    }

    /** An empty matrix of the format's layout, padding rows zero. */
    private static PackedMatrix allocate(WeightFormat format, int rows, int cols, boolean simd) {
        int padded = Math.multiplyExact(panels(rows), PANEL);
        return switch (format) {
            case F32 -> new PackedMatrix(format, rows, cols, new float[Math.multiplyExact(simd ? padded : rows, cols)], null, null, null, null);
            case BF16 -> new PackedMatrix(format, rows, cols, null, new int[Math.multiplyExact(panels(rows) * cols, PANEL / 2)], null, null, null);
            case Q8, Q4 -> {
                boolean q4 = format == WeightFormat.Q4;
                byte[] codes = new byte[Math.multiplyExact(padded, q4 ? (cols + 1) / 2 : cols)];
                float[] scales = new float[Math.multiplyExact(padded, BlockCodes.blocks(cols))];
                yield new PackedMatrix(format, rows, cols, null, null, q4 ? null : codes, q4 ? codes : null, scales);
            }
        };
    }

    /** Lays out {@code m}'s rows as rows {@code first ..} of this matrix's codes and scales. */
    private void place(BlockCodes m, int first) {
        int blocks = BlockCodes.blocks(cols);
        boolean q4 = format == WeightFormat.Q4;
        int pairs = (cols + 1) / 2;
        byte[] codes = q4 ? this.q4 : q8;
        byte[] in = m.codes();
        for (int i = 0; i < m.rows(); i++) {
            int r = first + i;
            int p = r / PANEL;
            int k = r % PANEL;
            for (int b = 0; b < blocks; b++) {
                scales[(p * blocks + b) * PANEL + k] = m.scales()[i * blocks + b];
            }
            if (q4) {
                for (int c = 0; c < cols; c += 2) {
                    int high = c + 1 < cols ? in[i * cols + c + 1] : 0;
                    codes[(p * pairs + c / 2) * PANEL + k] = (byte) (in[i * cols + c] | high << 4);
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    codes[(p * cols + c) * PANEL + k] = in[i * cols + c];
                }
            }
        }
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
        placeF32Panels(w, 0, rows, cols, out);
        return out;
    }

    /** Writes {@code count} rows, row-major in {@code w}, as rows {@code first ..} of F32 panels. */
    private static void placeF32Panels(float[] w, int first, int count, int cols, float[] out) {
        for (int i = 0; i < count; i++) {
            int r = first + i;
            int base = r / PANEL * cols * PANEL + r % PANEL;
            for (int c = 0; c < cols; c++) {
                out[base + c * PANEL] = w[i * cols + c];
            }
        }
    }

    private static int[] bf16(String name, float[] w, int rows, int cols) {
        int[] out = new int[panels(rows) * cols * (PANEL / 2)];
        placeBf16(name, w, 0, rows, cols, out);
        return out;
    }

    /** Writes {@code count} rows, row-major in {@code w}, as rows {@code first ..} of BF16 pairs. */
    private static void placeBf16(String name, float[] w, int first, int count, int cols, int[] out) {
        checkFinite(name, w, (long) first * cols);
        for (int i = 0; i < count; i++) {
            int r = first + i;
            int p = r / PANEL;
            int k = r % PANEL;
            boolean high = k >= PANEL / 2;
            for (int c = 0; c < cols; c++) {
                int bits = CompactFormats.bf16Bits(w[i * cols + c]) & 0xFFFF;
                int at = (p * cols + c) * (PANEL / 2) + (high ? k - PANEL / 2 : k);
                out[at] |= high ? bits << 16 : bits;
            }
        }
    }

    /** @param offset the index of {@code w[0]} in the whole matrix, for the message */
    private static void checkFinite(String name, float[] w, long offset) {
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new UnrollException(name + ": element " + (offset + i) + " is " + w[i] + "; compact weights hold finite values only");
            }
        }
    }
}

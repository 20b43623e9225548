package dev.unroll.bench.roofline;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Q8 matrix-vector product in the generated kernels' layout (64-row panels, a panel's column of 64
 * codes contiguous, one float scale per row and block of 32 columns), two ways:
 *
 * <ul>
 *   <li>{@link #widen}: what the generated SIMD kernels do: each code widened to a float and
 *       multiplied into F32 activations (8-lane byte loads, {@code B2F}, FMA), 32 rows at a time;
 *   <li>{@link #int8}: as llama.cpp's Q8_0 does without VNNI: the activations quantised to int8 per
 *       block of 32 (once per product, timed), codes times activations in 16-bit lanes (two columns'
 *       products summed there: |code| &lt;= 128 and |activation| &lt;= 127 keep the pair within a
 *       short), widened to 32-bit sums per block, then scaled into F32.
 * </ul>
 *
 * JDK 17's Vector API has no int8 dot-product operation (AVX-512 VNNI's {@code vpdpbusd}), which is
 * what makes llama.cpp's form fast; this measures what the API can express. Score: microseconds per
 * product; square matrices of {@code n} rows and columns (768: the 110M shape's, in L2; 2048:
 * TinyLlama's, in L3).
 *
 * <p>Reproduce (interleaved A B A, thread CPU time):
 * {@code bench/interleave.sh bench/results/q8-dot 'Q8DotBenchmark.widen' 'Q8DotBenchmark.int8'}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Q8DotBenchmark {
    static final int PANEL = 64;
    static final int BLOCK = 32;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;

    /** Rows and columns. */
    @Param({"768", "2048"})
    public int n;

    Matrix m;
    float[] x;
    float[] y;
    byte[] xq;
    float[] xs;

    /** A seeded matrix and activations. */
    @Setup
    public void setup() {
        m = Matrix.seeded(n, n, 7);
        x = new float[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        y = new float[n];
        xq = new byte[n];
        xs = new float[n / BLOCK];
    }

    /** @return a result (against dead-code elimination) */
    @Benchmark
    public float widen() {
        widen(m, x, y);
        return y[n - 1];
    }

    /** @return a result (against dead-code elimination) */
    @Benchmark
    public float int8() {
        int8(m, x, xq, xs, y);
        return y[n - 1];
    }

    /** Codes and scales in the panel layout. */
    record Matrix(int rows, int cols, byte[] codes, float[] scales) {
        /** Random codes in [-128, 127] and positive scales, seeded. */
        static Matrix seeded(int rows, int cols, long seed) {
            Random r = new Random(seed);
            byte[] codes = new byte[rows * cols];
            r.nextBytes(codes);
            float[] scales = new float[rows * (cols / BLOCK)];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = 0.001f + r.nextFloat() * 0.01f;
            }
            return new Matrix(rows, cols, codes, scales);
        }

        /** Code of row {@code r}, column {@code c}: byte {@code r % 64} of column {@code c} of panel {@code r / 64}. */
        byte code(int r, int c) {
            return codes[(r / PANEL * cols + c) * PANEL + r % PANEL];
        }

        /** Scale of row {@code r}, block {@code b}. */
        float scale(int r, int b) {
            return scales[(r / PANEL * (cols / BLOCK) + b) * PANEL + r % PANEL];
        }
    }

    /** The widen-to-float form, as the generated kernels run it (rows a multiple of 64, columns of 32). */
    static void widen(Matrix m, float[] x, float[] y) {
        int cols = m.cols();
        int blocks = cols / BLOCK;
        byte[] w = m.codes();
        float[] s = m.scales();
        for (int r0 = 0; r0 < m.rows(); r0 += PANEL) {
            int base = r0 * cols;
            int sBase = r0 * blocks;
            for (int k0 = 0; k0 < PANEL; k0 += 32) {
                FloatVector acc0 = FloatVector.zero(F);
                FloatVector acc1 = FloatVector.zero(F);
                FloatVector acc2 = FloatVector.zero(F);
                FloatVector acc3 = FloatVector.zero(F);
                for (int b = 0; b < blocks; b++) {
                    FloatVector p0 = FloatVector.zero(F);
                    FloatVector p1 = FloatVector.zero(F);
                    FloatVector p2 = FloatVector.zero(F);
                    FloatVector p3 = FloatVector.zero(F);
                    for (int c = b * BLOCK; c < b * BLOCK + BLOCK; c++) {
                        FloatVector xc = FloatVector.broadcast(F, x[c]);
                        int at = base + c * PANEL + k0;
                        p0 = ((FloatVector) ByteVector.fromArray(B8, w, at).convertShape(VectorOperators.B2F, F, 0)).fma(xc, p0);
                        p1 = ((FloatVector) ByteVector.fromArray(B8, w, at + 8).convertShape(VectorOperators.B2F, F, 0)).fma(xc, p1);
                        p2 = ((FloatVector) ByteVector.fromArray(B8, w, at + 16).convertShape(VectorOperators.B2F, F, 0)).fma(xc, p2);
                        p3 = ((FloatVector) ByteVector.fromArray(B8, w, at + 24).convertShape(VectorOperators.B2F, F, 0)).fma(xc, p3);
                    }
                    int sc = sBase + b * PANEL + k0;
                    acc0 = p0.fma(FloatVector.fromArray(F, s, sc), acc0);
                    acc1 = p1.fma(FloatVector.fromArray(F, s, sc + 8), acc1);
                    acc2 = p2.fma(FloatVector.fromArray(F, s, sc + 16), acc2);
                    acc3 = p3.fma(FloatVector.fromArray(F, s, sc + 24), acc3);
                }
                acc0.intoArray(y, r0 + k0);
                acc1.intoArray(y, r0 + k0 + 8);
                acc2.intoArray(y, r0 + k0 + 16);
                acc3.intoArray(y, r0 + k0 + 24);
            }
        }
    }

    /**
     * Quantises {@code x} per block of 32: {@code xs[b] = max |x| / 127}, {@code xq = round(x / xs[b])}
     * in [-127, 127] (a block of zeros: scale 0, codes 0).
     */
    static void quantise(float[] x, byte[] xq, float[] xs) {
        for (int b = 0; b < xs.length; b++) {
            float amax = 0;
            for (int c = b * BLOCK; c < b * BLOCK + BLOCK; c++) {
                amax = Math.max(amax, Math.abs(x[c]));
            }
            float d = amax / 127f;
            float inv = d == 0 ? 0 : 1 / d;
            xs[b] = d;
            for (int c = b * BLOCK; c < b * BLOCK + BLOCK; c++) {
                xq[c] = (byte) Math.round(x[c] * inv);
            }
        }
    }

    /** The int8 form (rows a multiple of 64, columns of 32). */
    static void int8(Matrix m, float[] x, byte[] xq, float[] xs, float[] y) {
        quantise(x, xq, xs);
        int cols = m.cols();
        int blocks = cols / BLOCK;
        byte[] w = m.codes();
        float[] s = m.scales();
        for (int r0 = 0; r0 < m.rows(); r0 += PANEL) {
            int base = r0 * cols;
            int sBase = r0 * blocks;
            for (int k0 = 0; k0 < PANEL; k0 += 32) {
                FloatVector acc0 = FloatVector.zero(F);
                FloatVector acc1 = FloatVector.zero(F);
                FloatVector acc2 = FloatVector.zero(F);
                FloatVector acc3 = FloatVector.zero(F);
                for (int b = 0; b < blocks; b++) {
                    IntVector i0 = IntVector.zero(I8);
                    IntVector i1 = IntVector.zero(I8);
                    IntVector i2 = IntVector.zero(I8);
                    IntVector i3 = IntVector.zero(I8);
                    for (int c = b * BLOCK; c < b * BLOCK + BLOCK; c += 2) {
                        ShortVector xa = ShortVector.broadcast(S16, xq[c]);
                        ShortVector xb = ShortVector.broadcast(S16, xq[c + 1]);
                        int at = base + c * PANEL + k0;
                        // rows k0 .. k0 + 15, then k0 + 16 .. k0 + 31: two columns' products summed in 16 bits
                        ShortVector lo = ((ShortVector) ByteVector.fromArray(B16, w, at).convertShape(VectorOperators.B2S, S16, 0)).mul(xa)
                                .add(((ShortVector) ByteVector.fromArray(B16, w, at + PANEL).convertShape(VectorOperators.B2S, S16, 0)).mul(xb));
                        ShortVector hi = ((ShortVector) ByteVector.fromArray(B16, w, at + 16).convertShape(VectorOperators.B2S, S16, 0)).mul(xa)
                                .add(((ShortVector) ByteVector.fromArray(B16, w, at + PANEL + 16).convertShape(VectorOperators.B2S, S16, 0)).mul(xb));
                        i0 = i0.add((IntVector) lo.convertShape(VectorOperators.S2I, I8, 0));
                        i1 = i1.add((IntVector) lo.convertShape(VectorOperators.S2I, I8, 1));
                        i2 = i2.add((IntVector) hi.convertShape(VectorOperators.S2I, I8, 0));
                        i3 = i3.add((IntVector) hi.convertShape(VectorOperators.S2I, I8, 1));
                    }
                    float d = xs[b];
                    int sc = sBase + b * PANEL + k0;
                    acc0 = ((FloatVector) i0.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, s, sc).mul(d), acc0);
                    acc1 = ((FloatVector) i1.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, s, sc + 8).mul(d), acc1);
                    acc2 = ((FloatVector) i2.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, s, sc + 16).mul(d), acc2);
                    acc3 = ((FloatVector) i3.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, s, sc + 24).mul(d), acc3);
                }
                acc0.intoArray(y, r0 + k0);
                acc1.intoArray(y, r0 + k0 + 8);
                acc2.intoArray(y, r0 + k0 + 16);
                acc3.intoArray(y, r0 + k0 + 24);
            }
        }
    }
}

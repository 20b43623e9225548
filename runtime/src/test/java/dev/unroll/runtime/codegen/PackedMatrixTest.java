package dev.unroll.runtime.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.weights.CompactFormats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The compact panels hold what {@link CompactFormats#stored} says, at the documented places, and refuse what they cannot hold. */
class PackedMatrixTest {
    static float[] matrix(int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(0.7 * i) * (1 + i % 5);
        }
        return w;
    }

    /** Reads element (r, c) back from the layout the javadoc documents. */
    static float at(PackedMatrix m, int r, int c) {
        int p = r / PackedMatrix.PANEL;
        int k = r % PackedMatrix.PANEL;
        if (m.format == WeightFormat.BF16) {
            int v = m.bf16[(p * m.cols + c) * 32 + k % 32];
            return Float.intBitsToFloat(k < 32 ? v << 16 : v & 0xFFFF0000);
        }
        int blocks = (m.cols + CompactFormats.Q8_BLOCK - 1) / CompactFormats.Q8_BLOCK;
        return m.q8[(p * m.cols + c) * 64 + k] * m.scales[(p * blocks + c / CompactFormats.Q8_BLOCK) * 64 + k];
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "Q8"})
    void panelsHoldTheStoredValues(WeightFormat f) {
        int rows = 150;
        int cols = 70;
        float[] w = matrix(rows, cols);
        PackedMatrix m = PackedMatrix.pack("t", w, rows, cols, f, true);
        float[] stored = CompactFormats.stored(f, w, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(stored[r * cols + c], at(m, r, c), Math.ulp(stored[r * cols + c]), "(" + r + ", " + c + ")");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "Q8"})
    void aNonFiniteWeightIsANamedError(WeightFormat f) {
        float[] w = matrix(4, 8);
        w[13] = Float.NaN;
        UnrollException e = assertThrows(UnrollException.class, () -> PackedMatrix.pack("model.layers.0.mlp.up_proj.weight", w, 4, 8, f, false));
        assertTrue(e.getMessage().contains("model.layers.0.mlp.up_proj.weight: element 13 is NaN"), e.getMessage());
    }

    /**
     * Packing a chunk of rows at a time gives the bytes packing the whole matrix gives, in every
     * format and flavour: three chunks of 128 rows (the chunk for 8,181 columns), the last one short,
     * 300 rows leaving a partial panel, 8,181 columns leaving a partial block and an odd column; and a NaN in the
     * second chunk is named by its index in the whole matrix.
     */
    @org.junit.jupiter.api.Test
    void packingAChunkOfRowsAtATimeGivesTheWholeMatrixsLayout() {
        int rows = 300;
        int cols = 8181;
        assertEquals(128, PackedMatrix.chunkRows(cols));
        float[] w = matrix(rows, cols);
        java.util.List<Integer> firsts = new java.util.ArrayList<>();
        for (WeightFormat f : WeightFormat.values()) {
            for (boolean simd : new boolean[] {false, true}) {
                firsts.clear();
                PackedMatrix whole = PackedMatrix.pack("t", w, rows, cols, f, simd);
                PackedMatrix chunked = PackedMatrix.pack("t", (first, count) -> {
                    firsts.add(first);
                    return java.util.Arrays.copyOfRange(w, first * cols, (first + count) * cols);
                }, rows, cols, f, simd);
                String what = f + (simd ? " SIMD" : " scalar");
                assertEquals(java.util.List.of(0, 128, 256), firsts, what);
                assertArrayEquals(whole.f32, chunked.f32, what);
                assertArrayEquals(whole.bf16, chunked.bf16, what);
                assertArrayEquals(whole.q8, chunked.q8, what);
                assertArrayEquals(whole.q4, chunked.q4, what);
                assertArrayEquals(whole.scales, chunked.scales, what);
            }
        }
        float[] poisoned = w.clone();
        poisoned[200 * cols + 5] = Float.POSITIVE_INFINITY;
        UnrollException e = assertThrows(UnrollException.class, () -> PackedMatrix.pack("m", (first, count) ->
                java.util.Arrays.copyOfRange(poisoned, first * cols, (first + count) * cols), rows, cols, WeightFormat.BF16, true));
        assertTrue(e.getMessage().contains("m: element " + (200 * cols + 5) + " is Infinity"), e.getMessage());
        UnrollException shortChunk = assertThrows(UnrollException.class, () -> PackedMatrix.pack("m", (first, count) -> new float[3], rows, cols,
                WeightFormat.Q8, true));
        assertTrue(shortChunk.getMessage().contains("m rows 0..127"), shortChunk.getMessage());
    }
}

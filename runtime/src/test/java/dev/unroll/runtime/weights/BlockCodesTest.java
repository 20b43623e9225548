package dev.unroll.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.codegen.PackedMatrix;
import org.junit.jupiter.api.Test;

/**
 * Q4's arithmetic on hand-worked blocks (ggml's Q4_0: the scale from the signed weight of largest
 * magnitude, truncation after adding 8.5, the clamp at 15), Q4's panel layout, and bad block codes.
 */
class BlockCodesTest {
    @Test
    void q4ScalesByTheSignedLargestWeightAndTruncates() {
        // the largest magnitude is +4: d = 4 / -8 = -0.5; w / d + 8.5 = 6.5, 12.5, 0.5, 7.5, 8.5 -> 6, 12, 0, 7, 8
        BlockCodes q = BlockCodes.quantise("w", WeightFormat.Q4, new float[] {1f, -2f, 4f, 0.5f, 0f, 0f}, 1, 6);
        assertArrayEquals(new byte[] {6, 12, 0, 7, 8, 8}, q.codes());
        assertArrayEquals(new float[] {-0.5f}, q.scales());
        assertArrayEquals(new float[] {1f, -2f, 4f, 0.5f, 0f, 0f}, q.values(), 0f);
        assertArrayEquals(q.values(), CompactFormats.stored(WeightFormat.Q4, new float[] {1f, -2f, 4f, 0.5f, 0f, 0f}, 1, 6));
    }

    @Test
    void q4TakesTheFirstOfEqualMagnitudesAndClampsTheOtherSignAt15() {
        // -3 comes first: d = 0.375; +3 / d + 8.5 = 16.5 -> 16, clamped to 15: +3 is stored as 7 * 0.375
        BlockCodes q = BlockCodes.quantise("w", WeightFormat.Q4, new float[] {-3f, 3f}, 1, 2);
        assertArrayEquals(new byte[] {0, 15}, q.codes());
        assertArrayEquals(new float[] {-3f, 2.625f}, q.values());
    }

    @Test
    void q4PacksTwoColumnsPerByteLowNibbleFirst() {
        float[] w = new float[3 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i * 7 % 11) - 5;
        }
        BlockCodes q = BlockCodes.quantise("w", WeightFormat.Q4, w, 3, 5);
        PackedMatrix p = PackedMatrix.pack("w", w, 3, 5, WeightFormat.Q4, true);
        assertEquals(PackedMatrix.PANEL * 3, p.q4.length, "one panel of 64 rows, 3 column pairs");
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) {
                int b = p.q4[(c / 2) * PackedMatrix.PANEL + r];
                int code = c % 2 == 0 ? b & 15 : b >> 4 & 15;
                assertEquals(q.codes()[r * 5 + c], code, "row " + r + " column " + c);
            }
            assertEquals(q.scales()[r], p.scales[r]);
        }
        assertEquals(0, p.q4[2 * PackedMatrix.PANEL] >> 4 & 15, "the odd column's pair has an empty high nibble");
    }

    @Test
    void aFilesCodesAreLaidOutAsTheyAre() {
        byte[] codes = {1, 2, 3, 4, -5, 6};
        float[] scales = {0.25f, 2f};
        PackedMatrix p = PackedMatrix.pack("w", new BlockCodes(WeightFormat.Q8, 2, 3, codes, scales));
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(codes[r * 3 + c], p.q8[c * PackedMatrix.PANEL + r]);
            }
            assertEquals(scales[r], p.scales[r]);
        }
    }

    /** Rows cut out of a matrix keep their codes and their own blocks' scales; rows outside it are named. */
    @Test
    void rowsAreTheirCodesAndScales() {
        BlockCodes m = BlockCodes.quantise("w", WeightFormat.Q8, PackedMatrixValues.of(5, 40), 5, 40);
        BlockCodes some = m.rows(2, 2);
        assertEquals(2, some.rows());
        assertEquals(40, some.cols());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 40; c++) {
                assertEquals(m.value(2 + r, c), some.value(r, c), "(" + r + ", " + c + ")");
            }
        }
        assertMessage(() -> m.rows(4, 2), "rows 4 to 5 of a matrix with rows 0 to 4");
        assertMessage(() -> m.rows(-1, 1), "rows -1 to -1");
        assertMessage(() -> m.rows(0, 0), "(first >= 0, count >= 1)");
        assertMessage(() -> m.rows(Integer.MAX_VALUE, Integer.MAX_VALUE), "rows 2147483647 to 4294967293");
    }

    /** Deterministic test weights. */
    private static final class PackedMatrixValues {
        static float[] of(int rows, int cols) {
            float[] w = new float[rows * cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.sin(0.37 * i) * (1 + i % 7);
            }
            return w;
        }
    }

    @Test
    void badCodesAreNamed() {
        assertMessage(() -> new BlockCodes(WeightFormat.Q4, 1, 2, new byte[] {3, 16}, new float[] {1f}), "Q4 code 1 is 16");
        assertMessage(() -> new BlockCodes(WeightFormat.Q8, 1, 2, new byte[] {3}, new float[] {1f}), "the codes");
        assertMessage(() -> new BlockCodes(WeightFormat.Q8, 1, 40, new byte[40], new float[] {1f}), "the scales");
        assertMessage(() -> new BlockCodes(WeightFormat.Q8, 1, 2, new byte[2], new float[] {Float.NaN}), "scale 0 (row 0, block 0) is NaN");
        assertMessage(() -> new BlockCodes(WeightFormat.Q8, 1, 2, new byte[2], new float[] {70000f}), "binary16 values");
        assertMessage(() -> BlockCodes.quantise("w", WeightFormat.Q8, new float[] {1f, 2f}, 1, 2).value(1, 0), "(1, 0) is outside the 1 x 2 matrix");
        assertMessage(() -> new BlockCodes(WeightFormat.BF16, 1, 2, new byte[2], new float[] {1f}), "BF16 has no blocks");
        assertMessage(() -> BlockCodes.quantise("w", WeightFormat.Q4, new float[] {1f, Float.POSITIVE_INFINITY}, 1, 2), "w: element 1 is Infinity");
        assertMessage(() -> BlockCodes.quantise("w", WeightFormat.Q4, new float[] {1e7f, 0f}, 1, 2), "8 x 65504");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        UnrollException x = assertThrows(UnrollException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}

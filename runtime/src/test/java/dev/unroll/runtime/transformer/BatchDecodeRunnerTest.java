package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import org.junit.jupiter.api.Test;

/**
 * {@link TransformerRunners#openBatch} on the JVM: each sequence decodes as it would alone (a decode
 * session per sequence, the same bits with the generic engine), whatever the other sequences' positions,
 * and every rejected call names its argument and changes nothing.
 */
class BatchDecodeRunnerTest {
    private static final TransformerSpec SPEC = TransformerSpec.builder(2, 16, 4, 24, 30, 12).set(TransformerSpec.KV_HEADS, 2).build();
    private static final TransformerModel MODEL = new GenericTransformer(TransformerWeights.seeded(SPEC));

    @Test
    void eachSequenceDecodesAsItWouldAlone() {
        int n = 3;
        int[][] tokens = {{1, 4, 9, 2, 7}, {3, 3, 8, 1, 0}, {29, 5, 6, 11, 12}};
        // sequence 2 starts two steps late: it runs position 0 three times
        int[][] positions = {{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, {0, 0, 0, 1, 2}};
        float[][][] want = new float[n][5][SPEC.vocab()];
        for (int q = 0; q < n; q++) {
            try (DecodeRunner alone = TransformerRunners.open(MODEL, null, null, Backend.JVM, SPEC.maxSeq())) {
                for (int t = 0; t < 5; t++) {
                    alone.next(tokens[q][t], positions[q][t], want[q][t]);
                }
            }
        }
        try (BatchDecodeRunner r = TransformerRunners.openBatch(MODEL, n, Backend.JVM)) {
            assertEquals(Backend.JVM, r.backend());
            assertEquals(n, r.sequences());
            for (int t = 0; t < 5; t++) {
                float[][] got = new float[n][SPEC.vocab()];
                r.next(new int[] {tokens[0][t], tokens[1][t], tokens[2][t]}, new int[] {positions[0][t], positions[1][t], positions[2][t]}, got);
                for (int q = 0; q < n; q++) {
                    assertArrayEquals(want[q][t], got[q], "sequence " + q + ", step " + t);
                }
            }
        }
    }

    private static String rejected(BatchDecodeRunner r, int[] tokens, int[] positions, float[][] logits) {
        return assertThrows(UnrollException.class, () -> r.next(tokens, positions, logits)).getMessage();
    }

    @Test
    void everyRejectedCallNamesItsArgument() {
        try (BatchDecodeRunner r = TransformerRunners.openBatch(MODEL, 2, null)) {
            float[][] logits = new float[2][SPEC.vocab()];
            assertTrue(rejected(r, null, new int[2], logits).contains("tokens is null"));
            assertTrue(rejected(r, new int[3], new int[2], logits).contains("one entry per sequence (2), got 3, 2 and 2"));
            assertTrue(rejected(r, new int[] {0, 30}, new int[2], logits).contains("tokens[1] = 30 is outside the vocabulary [0, 30)"));
            assertTrue(rejected(r, new int[2], new int[] {0, -1}, logits).contains("positions[1] = -1 is outside the KV cache [0, 12)"));
            assertTrue(rejected(r, new int[2], new int[] {1, 0}, logits).contains("positions[0] = 1 skips positions"));
            assertTrue(rejected(r, new int[2], new int[2], new float[][] {logits[0], new float[3]}).contains("logits[1]: expected length 30, got 3"));
            assertTrue(rejected(r, new int[2], new int[2], new float[][] {logits[0], logits[0]}).contains("logits[1] is also another sequence's row"));
            r.next(new int[2], new int[2], logits);
            r.next(new int[2], new int[] {1, 0}, logits);
            assertTrue(rejected(r, new int[2], new int[] {2, 2}, logits).contains("positions[1] = 2 skips positions: sequence 1 has run positions 0..0"));
            // a sequence that goes back holds only the positions up to the one it ran again
            r.next(new int[2], new int[] {0, 1}, logits);
            assertTrue(rejected(r, new int[2], new int[] {2, 2}, logits).contains("positions[0] = 2 skips positions: sequence 0 has run positions 0..0"));
            r.close();
            assertTrue(rejected(r, new int[2], new int[2], logits).contains("this BatchDecodeRunner is closed"));
            r.close();
        }
        assertTrue(assertThrows(UnrollException.class, () -> TransformerRunners.openBatch(MODEL, 0, null)).getMessage()
                .contains("sequences = 0: a batch decodes at least one sequence"));
        assertTrue(assertThrows(UnrollException.class, () -> TransformerRunners.openBatch(null, 1, null)).getMessage().contains("model"));
        String huge = assertThrows(UnrollException.class, () -> TransformerRunners.openBatch(MODEL, Integer.MAX_VALUE, Backend.JVM)).getMessage();
        assertTrue(huge.contains("openBatch over 2147483647 sequences"), huge);
    }
}

package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TransformerWeights#seeded}: the weights tests, benchmarks and new projects run on when no checkpoint fits. */
class SeededTransformerWeightsTest {
    private static final TransformerSpec SPEC = TransformerSpec.builder(2, 64, 4, 96, 50, 32)
            .set(TransformerSpec.KV_HEADS, 2).set(TransformerSpec.TIED_CLASSIFIER, false).build();

    @Test
    void sameSeedSameBitsOtherSeedOtherValues() {
        TransformerWeights a = TransformerWeights.seeded(SPEC);
        TransformerWeights b = TransformerWeights.seeded(SPEC, 7);
        TransformerWeights c = TransformerWeights.seeded(SPEC, 8);
        for (String name : TransformerWeights.shapes(SPEC).keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
            assertFalse(Arrays.equals(a.get(name), c.get(name)), name);
        }
    }

    /** Matrices N(0, 1/in) and norms 1 + 0.1 N(0, 1): the scales that keep activations and logits of order one. */
    @Test
    void everyTensorHasItsShapeAndScale() {
        TransformerWeights w = TransformerWeights.seeded(SPEC, 3);
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(SPEC).entrySet()) {
            long[] shape = e.getValue();
            float[] a = w.get(e.getKey());
            assertEquals(Arrays.stream(shape).reduce(1, (x, y) -> x * y), a.length, e.getKey());
            double sum = 0;
            double squares = 0;
            for (float v : a) {
                sum += v;
                squares += (double) v * v;
            }
            double mean = sum / a.length;
            double variance = squares / a.length - mean * mean;
            if (shape.length == 1) {
                assertEquals(1, mean, 0.05, e.getKey() + " mean");
                assertEquals(0.01, variance, 0.006, e.getKey() + " variance");
            } else {
                double want = 1.0 / shape[1];
                assertEquals(0, mean, 4 * Math.sqrt(want / a.length), e.getKey() + " mean");
                assertEquals(want, variance, 0.15 * want, e.getKey() + " variance");
            }
        }
        assertTrue(w.isResident());
    }

    @Test
    void aModelOverTheBudgetIsRefusedBeforeAnythingIsAllocated() {
        TransformerSpec huge = TransformerSpec.builder(64, 8192, 64, 28672, 128000, 4096).build();
        UnrollException e = assertThrows(UnrollException.class, () -> TransformerWeights.seeded(huge));
        assertTrue(e.getMessage().contains("the seeded weights of"), e.getMessage());
    }

    @Test
    void noSpecIsAnArgumentError() {
        UnrollException e = assertThrows(UnrollException.class, () -> TransformerWeights.seeded(null, 1));
        assertTrue(e.getMessage().contains("TransformerWeights.seeded: spec"), e.getMessage());
    }
}

package dev.unroll.examples.transformer;

import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded weights for a generated decoder of any shape (the tests' models that no checkpoint fits). */
public final class SeededWeights {
    private SeededWeights() {}

    /**
     * @param spec a decoder
     * @return its weights: rows of unit variance, norms near 1, seeded (logits of order 1 to 10)
     */
    public static TransformerWeights of(TransformerSpec spec) {
        SplittableRandom r = new SplittableRandom(7);
        Map<String, TensorSource.Array> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
            long[] shape = e.getValue();
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            double[] data = new double[n];
            boolean norm = shape.length == 1;
            double scale = norm ? 0 : 1 / Math.sqrt(shape[shape.length - 1]);
            for (int i = 0; i < n; i++) {
                data[i] = norm ? 1 + 0.1 * r.nextGaussian() : scale * r.nextGaussian();
            }
            tensors.put(e.getKey(), new TensorSource.Array(shape, data));
        }
        return TransformerWeights.load(spec, TensorSource.of(spec.describe(), tensors));
    }
}

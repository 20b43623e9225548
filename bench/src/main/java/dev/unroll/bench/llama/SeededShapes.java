package dev.unroll.bench.llama;

import dev.unroll.examples.transformer.Stories260KModel;
import dev.unroll.runtime.transformer.TransformerSpec;

/** The decoder shapes the benchmarks run: stories260K (the real model) and the seeded stories15M, stories110M and TinyLlama-1.1B shapes. */
public final class SeededShapes {
    /** stories260K. */
    public static final TransformerSpec STORIES260K = Stories260KModel.SPEC;

    private SeededShapes() {}

    /**
     * @param shape 15M, 110M or 1.1B
     * @return its decoder
     */
    public static TransformerSpec of(String shape) {
        return switch (shape) {
            case "15M" -> Shapes_Stories15MModel.SPEC;
            case "110M" -> Shapes_Stories110MModel.SPEC;
            case "1.1B" -> Shapes_TinyLlama1BModel.SPEC;
            default -> throw new IllegalArgumentException("shape " + shape + ": 15M, 110M or 1.1B");
        };
    }
}

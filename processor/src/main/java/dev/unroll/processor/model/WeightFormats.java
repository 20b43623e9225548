package dev.unroll.processor.model;

import dev.unroll.annotations.WeightFormat;

/** How descriptors print their {@code weights} member. */
final class WeightFormats {
    private WeightFormats() {}

    /**
     * @param annotation an annotation as the runtime spec describes it, {@code @Foo(a = 1, ...)}
     * @param weights the descriptor's weight format
     * @return it with {@code weights = ...} as its last member when not F32 (the default)
     */
    static String describe(String annotation, WeightFormat weights) {
        if (weights == WeightFormat.F32) {
            return annotation;
        }
        int close = annotation.indexOf(')');
        return annotation.substring(0, close) + ", weights = " + weights + annotation.substring(close);
    }
}

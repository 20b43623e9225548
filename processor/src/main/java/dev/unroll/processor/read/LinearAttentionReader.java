package dev.unroll.processor.read;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.AttentionSpec;

/** Reads {@code @LinearAttention} values into a raw spec builder (nothing resolved or checked yet). */
public final class LinearAttentionReader {
    private LinearAttentionReader() {}

    /**
     * @param v the annotation's values
     * @return the raw builder
     */
    public static AttentionSpec.Builder read(AnnotationValues v) {
        return AttentionSpec.builder(AttentionMode.valueOf(v.getEnum("mode")), v.getInt("width"))
                .heads(v.getInt("heads"))
                .keyWidth(v.getInt("keyWidth"))
                .valueWidth(v.getInt("valueWidth"))
                .seed(v.getLong("seed"))
                .precision(Precision.valueOf(v.getEnum("precision")))
                .gamma(v.getDouble("gamma"))
                .betaScale(v.getDouble("betaScale"))
                .betaMode(BetaMode.valueOf(v.getEnum("betaMode")))
                .initialDecay(v.getDouble("initialDecay"))
                .compositions(v.getInt("compositions"))
                .reflections(v.getBoolean("reflections"))
                .lowerBound(v.getDouble("lowerBound"))
                .inner(AttentionMode.valueOf(v.getEnum("inner")))
                .maxLevels(v.getInt("maxLevels"))
                .lambdaInit(v.getDouble("lambdaInit"));
    }
}

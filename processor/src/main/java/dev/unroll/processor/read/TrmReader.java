package dev.unroll.processor.read;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.trm.TrmSpec;

/** Reads {@code @TinyRecursiveModel} values into a raw spec builder. */
public final class TrmReader {
    private TrmReader() {}

    /**
     * @param v the annotation's values
     * @return the raw builder
     */
    public static TrmSpec.Builder read(AnnotationValues v) {
        TrmSpec.Builder b = TrmSpec.builder();
        b.hidden = v.getInt("hidden");
        b.context = v.getInt("context");
        b.vocab = v.getInt("vocab");
        b.layers = v.getInt("layers");
        b.latentSteps = v.getInt("latentSteps");
        b.cycles = v.getInt("cycles");
        b.expansion = v.getDouble("expansion");
        b.prefix = v.getInt("prefix");
        b.mixer = TokenMixer.valueOf(v.getEnum("mixer"));
        b.heads = v.getInt("heads");
        b.ropeTheta = v.getDouble("ropeTheta");
        b.haltOutputs = v.getInt("haltOutputs");
        b.maxSupervisionSteps = v.getInt("maxSupervisionSteps");
        b.normEps = v.getDouble("normEps");
        b.seed = v.getLong("seed");
        return b;
    }
}

package dev.unroll.processor.read;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.trm.TrmSpec;

/** Reads {@code @TinyRecursiveModel} values into a raw spec builder. */
public final class TrmReader {
    private TrmReader() {}

    /**
     * @param v the annotation's values
     * @return the raw values
     */
    public static Raw read(AnnotationValues v) {
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
        return new Raw(b, WeightFormat.valueOf(v.getEnum("weights")));
    }

    /**
     * The raw values of a {@code @TinyRecursiveModel}.
     *
     * @param spec the model, unchecked
     * @param weights how the kernels store the row projections
     */
    public record Raw(TrmSpec.Builder spec, WeightFormat weights) {}
}

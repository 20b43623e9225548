package dev.unroll.processor.read;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.trm.TrmSpec;

/** Reads {@code @TinyRecursiveModel} values into a raw spec builder. */
public final class TrmReader {
    private TrmReader() {}

    /**
     * @param v the annotation's values
     * @return the raw values
     */
    public static Raw read(MemberValues v) {
        TrmSpec.Builder b = TrmSpec.builder();
        for (Parameter<?> p : TrmSpec.PARAMETERS) {
            b.setRaw(p, v.get(p));
        }
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

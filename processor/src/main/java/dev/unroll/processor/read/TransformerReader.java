package dev.unroll.processor.read;

import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.transformer.TransformerSpec;

/** Reads {@code @Transformer} and, on the same type, {@code @RecurrentPass} into raw values. */
public final class TransformerReader {
    /** The companion annotation. */
    public static final String RECURRENT_PASS = RecurrentPass.class.getCanonicalName();

    private TransformerReader() {}

    /**
     * @param v the {@code @Transformer} values
     * @param recurrentPass the {@code @RecurrentPass} values on the same type, or null
     * @return the raw values
     */
    public static Raw read(MemberValues v, MemberValues recurrentPass) {
        TransformerSpec.Builder b = TransformerSpec.builder();
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            b.setRaw(p, v.get(p));
        }
        if (recurrentPass != null) {
            b.block(recurrentPass.get(TransformerSpec.LOOP_START), recurrentPass.get(TransformerSpec.LOOP_END), recurrentPass.get(TransformerSpec.DEPTH));
        }
        return new Raw(b, WeightFormat.valueOf(v.getEnum("weights")));
    }

    /**
     * The raw values of a {@code @Transformer}.
     *
     * @param spec the decoder's shape, unchecked
     * @param weights how the kernels store the matrices
     */
    public record Raw(TransformerSpec.Builder spec, WeightFormat weights) {}
}

package dev.unroll.processor.read;

import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.transformer.TransformerSpec;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Reads {@code @Transformer} and, on the same type, {@code @RecurrentPass} into raw values. */
public final class TransformerReader {
    /** The companion annotation. */
    public static final String RECURRENT_PASS = RecurrentPass.class.getCanonicalName();

    private TransformerReader() {}

    /**
     * @param v the {@code @Transformer} values
     * @param type the annotated type
     * @param elements element utilities
     * @return the raw values
     */
    public static Raw read(AnnotationValues v, TypeElement type, Elements elements) {
        TransformerSpec.Builder b = TransformerSpec.builder();
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            b.setRaw(p, v.get(p));
        }
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(RECURRENT_PASS)) {
                AnnotationValues r = AnnotationValues.read(m, elements);
                b.block(r.get(TransformerSpec.LOOP_START), r.get(TransformerSpec.LOOP_END), r.get(TransformerSpec.DEPTH));
            }
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

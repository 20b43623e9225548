package dev.unroll.processor.read;

import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.RopeLayout;
import dev.unroll.annotations.WeightFormat;
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
        TransformerSpec.Builder b = TransformerSpec.builder(v.getInt("layers"), v.getInt("width"), v.getInt("heads"), v.getInt("ffnHidden"),
                v.getInt("vocab"), v.getInt("maxSeq"));
        b.kvHeads = v.getInt("kvHeads");
        b.ropeTheta = v.getDouble("ropeTheta");
        b.normEps = v.getDouble("normEps");
        b.tiedClassifier = v.getBoolean("tiedClassifier");
        b.rope = RopeLayout.valueOf(v.getEnum("rope"));
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(RECURRENT_PASS)) {
                AnnotationValues r = AnnotationValues.read(m, elements);
                b.block(r.getInt("loopStart"), r.getInt("loopEnd"), r.getInt("depth"));
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

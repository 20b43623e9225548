package dev.unroll.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a Llama-family decoder (pre-norm RMSNorm blocks, RoPE, grouped-query attention,
 * SwiGLU feed-forward). Combine with {@link RecurrentPass} to re-run a block of layers.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Transformer {
    /** {@return number of decoder layers.} */
    int layers();

    /** {@return model width.} */
    int width();

    /** {@return query heads.} */
    int heads();

    /** {@return key/value heads (grouped-query attention); {@code 0} (the default) means {@link #heads()}.} */
    int kvHeads() default 0;

    /** {@return hidden width of the feed-forward network.} */
    int ffnHidden();

    /** {@return vocabulary size.} */
    int vocab();

    /** {@return maximum sequence length (KV-cache capacity).} */
    int maxSeq();

    /** {@return RoPE base.} */
    double ropeTheta() default 10000.0;

    /** {@return RMS norm epsilon.} */
    double normEps() default 1e-5;

    /** {@return whether the classifier shares the token-embedding matrix.} */
    boolean tiedClassifier() default true;

    /** {@return the RoPE pairing of the weights this model loads.} */
    RopeLayout rope() default RopeLayout.INTERLEAVED;

    /**
     * {@return how the kernels store the projection and classifier matrices (converted from F32 at
     * load time); the embedding table and norms stay F32.}
     */
    WeightFormat weights() default WeightFormat.F32;
}

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
    /** Number of decoder layers. */
    int layers();

    /** Model width. */
    int width();

    /** Query heads. */
    int heads();

    /** Key/value heads (grouped-query attention); {@code 0} (the default) means {@link #heads()}. */
    int kvHeads() default 0;

    /** Hidden width of the feed-forward network. */
    int ffnHidden();

    /** Vocabulary size. */
    int vocab();

    /** Maximum sequence length (KV-cache capacity). */
    int maxSeq();

    /** RoPE base. */
    double ropeTheta() default 10000.0;

    /** RMS norm epsilon. */
    double normEps() default 1e-5;

    /** Whether the classifier shares the token-embedding matrix. */
    boolean tiedClassifier() default true;

    /** The RoPE pairing of the weights this model loads. */
    RopeLayout rope() default RopeLayout.INTERLEAVED;
}

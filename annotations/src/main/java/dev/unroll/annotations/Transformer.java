package dev.unroll.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a Llama-family decoder (pre-norm RMSNorm blocks, RoPE, grouped-query attention,
 * SwiGLU feed-forward). Combine with {@link RecurrentPass} to re-run a block of layers.
 *
 * <p>Either write the shape ({@code layers}, {@code width}, {@code heads}, {@code ffnHidden},
 * {@code vocab} and {@code maxSeq} are then required), or name a Hugging Face {@code config.json} with
 * {@link #config()}: the shape is read from it at compile time, and only {@code maxSeq} (the KV-cache
 * capacity: a model's context is often more than a program needs), {@code weights} and
 * {@code @RecurrentPass} may be written beside it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Transformer {
    /** {@return number of decoder layers; required unless {@link #config()} is given ({@code 0}: not written).} */
    int layers() default 0;

    /** {@return model width; required unless {@link #config()} is given ({@code 0}: not written).} */
    int width() default 0;

    /** {@return query heads; required unless {@link #config()} is given ({@code 0}: not written).} */
    int heads() default 0;

    /** {@return key/value heads (grouped-query attention); {@code 0} (the default) means {@link #heads()}.} */
    int kvHeads() default 0;

    /** {@return hidden width of the feed-forward network; required unless {@link #config()} is given ({@code 0}: not written).} */
    int ffnHidden() default 0;

    /** {@return vocabulary size; required unless {@link #config()} is given ({@code 0}: not written).} */
    int vocab() default 0;

    /**
     * {@return maximum sequence length (KV-cache capacity); required unless {@link #config()} is given,
     * whose {@code max_position_embeddings} it then overrides when written ({@code 0}: not written).}
     */
    int maxSeq() default 0;

    /** {@return RoPE base.} */
    double ropeTheta() default 10000.0;

    /** {@return RMS norm epsilon.} */
    double normEps() default 1e-5;

    /** {@return whether the classifier shares the token-embedding matrix.} */
    boolean tiedClassifier() default true;

    /** {@return the RoPE pairing of the weights this model loads.} */
    RopeLayout rope() default RopeLayout.INTERLEAVED;

    /**
     * {@return Llama 3's RoPE scaling factor ({@code rope_scaling.factor}): frequencies whose wavelength
     * exceeds {@code ropeOriginalMaxSeq / ropeLowFreqFactor} are divided by it, those below
     * {@code ropeOriginalMaxSeq / ropeHighFreqFactor} kept, the band between interpolated; 1 (the
     * default) leaves every frequency unscaled and the three members below unused.}
     */
    double ropeScaling() default 1.0;

    /** {@return Llama 3 scaling's {@code low_freq_factor}.} */
    double ropeLowFreqFactor() default 1.0;

    /** {@return Llama 3 scaling's {@code high_freq_factor}; above {@link #ropeLowFreqFactor()}.} */
    double ropeHighFreqFactor() default 4.0;

    /** {@return Llama 3 scaling's {@code original_max_position_embeddings}: the context before scaling.} */
    int ropeOriginalMaxSeq() default 8192;

    /**
     * {@return whether the q, k and v projections add biases ({@code q_proj.bias}, {@code k_proj.bias},
     * {@code v_proj.bias}), as Qwen2's do.}
     */
    boolean qkvBias() default false;

    /**
     * {@return whether each query and key head is RMS-normalised before RoPE, with one weight of head
     * width each ({@code q_norm.weight}, {@code k_norm.weight}), as Qwen3's are.}
     */
    boolean qkNorm() default false;

    /**
     * {@return the width of one attention head when it is not {@code width / heads}, as Qwen3-0.6B's 128
     * where 1024 / 16 is 64 (the queries and the attention output are then {@code heads * headDim}
     * wide); 0 (the default) means {@code width / heads}.}
     */
    int headDim() default 0;

    /**
     * {@return how the kernels store the projection and classifier matrices (converted from F32 at
     * load time); the embedding table and norms stay F32.}
     */
    WeightFormat weights() default WeightFormat.F32;

    /**
     * {@return a Hugging Face {@code config.json} to read the shape from, found on the source path or
     * the class path by this relative name (with Maven: {@code src/main/resources/models/x/config.json}
     * is {@code "models/x/config.json"}); empty (the default): the members above describe the model.
     * Llama (Llama 3's rope_scaling included), Mistral, Qwen2 and Qwen3 configurations are read; one
     * the kernels cannot compute (another rope_scaling type, biases on the output projection, ...) is a
     * compile error on this member naming the key, as are a file not found
     * and a written member that contradicts the file.}
     */
    String config() default "";
}

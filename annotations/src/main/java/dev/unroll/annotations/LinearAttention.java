package dev.unroll.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a multi-head streaming linear-attention layer. The processor generates, for an
 * annotated type {@code Foo}: {@code FooKernels} (scalar static kernels, TornadoVM-compatible),
 * {@code FooSimdKernels} (Vector API, when {@code jdk.incubator.vector} is readable at compile
 * time) and {@code FooLayer} (the layer object: weights, state, {@code step}/{@code query}/{@code forward}).
 *
 * <p>Mode parameters that the chosen {@link #mode()} does not use must be left at their
 * defaults: setting one is a compile error ({@code [Unroll/ParameterNotUsed]}).
 *
 * <pre>{@code
 * @LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 64, heads = 4, betaMode = BetaMode.PER_TOKEN)
 * interface MyGdn {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface LinearAttention {
    /** {@return the recurrence.} */
    AttentionMode mode();

    /** {@return model width {@code d_model}: the length of every input and output vector.} */
    int width();

    /** {@return number of heads; each head sees the whole input.} */
    int heads() default 4;

    /** {@return key width per head; {@code 0} (the default) means {@code width / heads}.} */
    int keyWidth() default 0;

    /** {@return value width per head; {@code 0} (the default) means {@code width / heads}.} */
    int valueWidth() default 0;

    /** {@return seed of the xorshift64 generator that draws the weights; must not be 0.} */
    long seed() default 42;

    /** {@return arithmetic of the generated kernels.} */
    Precision precision() default Precision.F32;

    /**
     * {@return how the kernels store the input and output projections (converted from F32 at load
     * time); a compact format needs precision F32.}
     */
    WeightFormat weights() default WeightFormat.F32;

    /** {@return {@link AttentionMode#RETNET}: the decay, in (0, 1).} */
    double gamma() default 0.95;

    /** {@return {@link AttentionMode#GATED_DELTA_NET} with {@link BetaMode#STATIC}: beta, in (0, 2].} */
    double betaScale() default 1.0;

    /** {@return {@link AttentionMode#GATED_DELTA_NET}: static or per-token beta.} */
    BetaMode betaMode() default BetaMode.STATIC;

    /** {@return {@link AttentionMode#RWKV}: base decay rate, at least 0.} */
    double initialDecay() default 0.5;

    /** {@return {@link AttentionMode#DELTA_PRODUCT}: Householder steps per token, at least 1.} */
    int compositions() default 2;

    /** {@return {@link AttentionMode#DELTA_PRODUCT}: beta in (0, 2) instead of (0, 1).} */
    boolean reflections() default false;

    /** {@return {@link AttentionMode#HGRN2}: lower bound of the forget gate, in [0, 1).} */
    double lowerBound() default 0.9;

    /** {@return {@link AttentionMode#LOG_LINEAR}: the wrapped mode; must not be {@code LOG_LINEAR}.} */
    AttentionMode inner() default AttentionMode.GATED_DELTA_NET;

    /** {@return {@link AttentionMode#LOG_LINEAR}: number of Fenwick levels, at least 1.} */
    int maxLevels() default 32;

    /** {@return {@link AttentionMode#LOG_LINEAR}: bias of the level logits; unset means {@code 1 / maxLevels}.} */
    double lambdaInit() default Double.NaN;
}

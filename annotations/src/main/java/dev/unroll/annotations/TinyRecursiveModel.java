package dev.unroll.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a Tiny Recursive Model (Jolicoeur-Martineau 2025): one small network shared by a
 * latent recursion ({@code z = net(x + y + z)}, {@link #latentSteps()} times, then
 * {@code y = net(y + z)}) repeated for {@link #cycles()} deep cycles, an output head on the
 * non-prefix positions and a halting head on position 0. The defaults are the Sudoku model of
 * the seed {@code model.py}. The processor generates {@code FooKernels},
 * {@code FooSimdKernels} and {@code FooModel} for an annotated type {@code Foo}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TinyRecursiveModel {
    /** {@return hidden size {@code H}.} */
    int hidden() default 512;

    /** {@return number of input tokens (81 for a 9x9 Sudoku).} */
    int context() default 81;

    /** {@return vocabulary size (11 for Sudoku: PAD, blank, digits 1..9).} */
    int vocab() default 11;

    /** {@return layers of the shared network.} */
    int layers() default 2;

    /** {@return latent steps {@code n} per cycle.} */
    int latentSteps() default 6;

    /** {@return deep recursion cycles {@code T} per supervision step.} */
    int cycles() default 3;

    /** {@return swiGLU expansion factor.} */
    double expansion() default 4.0;

    /** {@return prefix positions before the tokens: 1 is the seed's summary token, 16 the original's puzzle-embedding prefix.} */
    int prefix() default 1;

    /** {@return the token mixer.} */
    TokenMixer mixer() default TokenMixer.MLP;

    /** {@return attention heads; only for {@link TokenMixer#ATTENTION}.} */
    int heads() default 8;

    /** {@return RoPE base; only for {@link TokenMixer#ATTENTION}.} */
    double ropeTheta() default 10000.0;

    /** {@return outputs of the halting head: 1 (the seed) or 2 (halt, continue: the original).} */
    int haltOutputs() default 1;

    /** {@return maximum supervision steps of the ACT inference loop.} */
    int maxSupervisionSteps() default 16;

    /** {@return RMS norm epsilon.} */
    double normEps() default 1e-5;

    /** {@return seed for seeded initialisation; must not be 0.} */
    long seed() default 1;

    /**
     * {@return how the kernels store the row projections of every block (attention q/k/v and output,
     * MLP gate/up and down), converted from F32 at load time; embeddings, token-mixing weights,
     * norms and heads stay F32.}
     */
    WeightFormat weights() default WeightFormat.F32;
}

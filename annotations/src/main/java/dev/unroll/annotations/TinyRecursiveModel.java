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
    /** Hidden size {@code H}. */
    int hidden() default 512;

    /** Number of input tokens (81 for a 9x9 Sudoku). */
    int context() default 81;

    /** Vocabulary size (11 for Sudoku: PAD, blank, digits 1..9). */
    int vocab() default 11;

    /** Layers of the shared network. */
    int layers() default 2;

    /** Latent steps {@code n} per cycle. */
    int latentSteps() default 6;

    /** Deep recursion cycles {@code T} per supervision step. */
    int cycles() default 3;

    /** SwiGLU expansion factor. */
    double expansion() default 4.0;

    /** Prefix positions before the tokens: 1 is the seed's summary token, 16 the original's puzzle-embedding prefix. */
    int prefix() default 1;

    /** The token mixer. */
    TokenMixer mixer() default TokenMixer.MLP;

    /** Attention heads; only for {@link TokenMixer#ATTENTION}. */
    int heads() default 8;

    /** RoPE base; only for {@link TokenMixer#ATTENTION}. */
    double ropeTheta() default 10000.0;

    /** Outputs of the halting head: 1 (the seed) or 2 (halt, continue: the original). */
    int haltOutputs() default 1;

    /** Maximum supervision steps of the ACT inference loop. */
    int maxSupervisionSteps() default 16;

    /** RMS norm epsilon. */
    double normEps() default 1e-5;

    /** Seed for seeded initialisation; must not be 0. */
    long seed() default 1;
}

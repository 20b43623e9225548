package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Descriptors at and beyond Unroll's size limits: within them, big models compile (loops, not
 * copies: no "code too large"); beyond them, or where a derived size would overflow or exceed one
 * Java array, a {@code [Unroll/TooLarge]} error on the member at fault, never broken code.
 */
class LimitsDiagnosticsTest {
    private static Compilation compile(String annotations) {
        return Compile.compile(Compile.source("Big", annotations + "\ninterface Big {}"));
    }

    private static void assertTooLarge(String annotation, String line, String text) {
        JavaFileObject f = Compile.source("Big", annotation.replace(", ", ",\n    ") + "\ninterface Big {}");
        Compilation c = Compile.compile(f);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/TooLarge] " + text).inFile(f).onLineContaining(line);
    }

    @Test
    void aThousandLayerTransformerWithARecurrentBlockCompiles() {
        Compilation c = compile("@Transformer(layers = 1000, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 64)\n"
                + "@RecurrentPass(loopStart = 10, loopEnd = 989, depth = 4)");
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void tenThousandRecursionStepsCompile() {
        Compilation c = compile("@TinyRecursiveModel(hidden = 32, context = 9, vocab = 5, layers = 2, latentSteps = 9999, cycles = 1)");
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void membersBeyondTheLimitsAreErrors() {
        assertTooLarge("@Transformer(layers = 100000, width = 64, heads = 8, ffnHidden = 172, vocab = 512, maxSeq = 64)", "layers = 100000",
                "layers (100000) must be <= 4096");
        assertTooLarge("@LinearAttention(mode = AttentionMode.GLA, width = 2147483647, heads = 1)", "width = 2147483647",
                "width (2147483647) must be <= 65536");
        assertTooLarge("@TinyRecursiveModel(hidden = 32, context = 9, vocab = 5, latentSteps = 1000000, cycles = 1000000)", "latentSteps",
                "cycles x (latentSteps + 1) (1000001000000) must be <= 65536");
        assertTooLarge("@TinyRecursiveModel(hidden = 32, context = 9, vocab = 5, expansion = 1e9)", "expansion = 1e9",
                "expansion (1.0E9) must be <= 64.0");
    }

    @Test
    void derivedSizesThatOverflowAnArrayAreErrors() {
        assertTooLarge("@LinearAttention(mode = AttentionMode.GLA, width = 64, heads = 1, keyWidth = 65536, valueWidth = 65536)", "heads = 1",
                "the state (heads x 4294967296 values per head) (4294967296) must be <= 2147483639");
        assertTooLarge("@Transformer(layers = 2, width = 65536, heads = 8, ffnHidden = 172, vocab = 512, maxSeq = 64)", "width = 65536",
                "a projection (width x width) (4294967296) must be <= 2147483639");
    }

    @Test
    void twoFamilyAnnotationsOnOneTypeAreOneError() {
        JavaFileObject f = Compile.source("Both", "@LinearAttention(mode = AttentionMode.GLA, width = 16)\n"
                + "@Transformer(layers = 2, width = 64, heads = 8, ffnHidden = 172, vocab = 512, maxSeq = 64)\ninterface Both {}");
        Compilation c = Compile.compile(f);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/ConflictingAnnotations] @LinearAttention and @Transformer on one type").inFile(f)
                .onLineContaining("@LinearAttention");
    }
}

package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per {@code @TinyRecursiveModel} rule: diagnostic ID, line of the member at fault, error count. */
class TrmDiagnosticsTest {
    private static void assertSingleError(String members, String id, String line) {
        JavaFileObject src = Compile.source("Bad", "@TinyRecursiveModel(\n    " + members.replace(",", ",\n   ") + ")\ninterface Bad {}");
        Compilation c = Compile.compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/" + id + "]").inFile(src).onLineContaining(line);
    }

    @Test
    void dimensionsMustBePositive() {
        assertSingleError("hidden = 0", "NonPositive", "hidden = 0");
        assertSingleError("context = -1", "NonPositive", "context = -1");
        assertSingleError("vocab = 0", "NonPositive", "vocab = 0");
        assertSingleError("layers = 0", "NonPositive", "layers = 0");
        assertSingleError("latentSteps = 0", "NonPositive", "latentSteps = 0");
        assertSingleError("cycles = 0", "NonPositive", "cycles = 0");
        assertSingleError("prefix = 0", "NonPositive", "prefix = 0");
        assertSingleError("maxSupervisionSteps = 0", "NonPositive", "maxSupervisionSteps = 0");
    }

    @Test
    void expansionAndEpsilonMustBePositiveAndFinite() {
        assertSingleError("expansion = 0", "OutOfRange", "expansion = 0");
        assertSingleError("normEps = Double.NaN", "NotFinite", "normEps = Double.NaN");
        assertSingleError("normEps = -1e-5", "OutOfRange", "normEps = -1e-5");
    }

    @Test
    void haltingHeadHasOneOrTwoOutputs() {
        assertSingleError("haltOutputs = 3", "OutOfRange", "haltOutputs = 3");
    }

    @Test
    void sequenceWithinTheMixersLimit() {
        assertSingleError("context = 5000", "TooLarge", "context = 5000");
    }

    @Test
    void attentionHeadsDivideHiddenIntoEvenWidths() {
        assertSingleError("mixer = TokenMixer.ATTENTION, heads = 7", "HeadsNotDivisor", "heads = 7");
        assertSingleError("hidden = 24, mixer = TokenMixer.ATTENTION, heads = 8", "OddHeadWidth", "heads = 8");
        assertSingleError("mixer = TokenMixer.ATTENTION, ropeTheta = 0", "OutOfRange", "ropeTheta = 0");
    }

    @Test
    void attentionMembersWithTheMlpMixerAreErrors() {
        assertSingleError("heads = 4", "ParameterNotUsed", "heads = 4");
    }

    @Test
    void seedMustNotBeZero() {
        assertSingleError("seed = 0", "SeedZero", "seed = 0");
    }

    @Test
    void theSeedModelCompilesCleanly() {
        assertThat(Compile.compile(true, Compile.source("Seed", "@TinyRecursiveModel\ninterface Seed {}"))).succeeded();
        assertThat(Compile.compile(Compile.source("Orig",
                "@TinyRecursiveModel(prefix = 16, mixer = TokenMixer.ATTENTION, haltOutputs = 2)\ninterface Orig {}"))).succeededWithoutWarnings();
    }
}

package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @Transformer} / {@code @RecurrentPass} rule: the diagnostic ID on the line of
 * the member at fault (recurrent-pass findings point into {@code @RecurrentPass}), and the count.
 */
class TransformerDiagnosticsTest {
    static final String BASE = "layers = 5, width = 64, heads = 8, kvHeads = 4, ffnHidden = 172, vocab = 512, maxSeq = 512";

    private static void assertErrors(String transformer, String pass, int count, String id, String line) {
        String src = "@Transformer(" + transformer.replace(", ", ",\n    ") + ")\n" + (pass == null ? "" : "@RecurrentPass(" + pass.replace(", ", ",\n    ") + ")\n")
                + "interface Bad {}";
        JavaFileObject f = Compile.source("Bad", src);
        Compilation c = Compile.compile(f);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(count);
        assertThat(c).hadErrorContaining("[Unroll/" + id + "]").inFile(f).onLineContaining(line);
    }

    @Test
    void dimensionsMustBePositive() {
        assertErrors(BASE.replace("layers = 5", "layers = 0"), null, 1, "NonPositive", "layers = 0");
        assertErrors(BASE.replace("maxSeq = 512", "maxSeq = -1"), null, 1, "NonPositive", "maxSeq = -1");
        assertErrors(BASE.replace("kvHeads = 4", "kvHeads = 0"), null, 1, "NonPositive", "kvHeads = 0");
    }

    @Test
    void headsDivideWidthAndKvHeadsDivideHeads() {
        assertErrors(BASE.replace("heads = 8,", "heads = 7,").replace("kvHeads = 4", "kvHeads = 7"), null, 1, "HeadsNotDivisor", "heads = 7,");
        assertErrors(BASE.replace("kvHeads = 4", "kvHeads = 3"), null, 1, "HeadsNotDivisor", "kvHeads = 3");
        assertErrors(BASE.replace("width = 64", "width = 24"), null, 1, "OddHeadWidth", "heads = 8");
    }

    @Test
    void ropeThetaAndEpsilonPositive() {
        assertErrors(BASE + ", ropeTheta = 0", null, 1, "OutOfRange", "ropeTheta = 0");
        assertErrors(BASE + ", normEps = 0", null, 1, "OutOfRange", "normEps = 0");
    }

    @Test
    void aHeadDimIsEvenAndNotNegative() {
        assertErrors(BASE + ", headDim = 33", null, 1, "OddHeadWidth", "headDim = 33");
        assertErrors(BASE + ", headDim = -4", null, 1, "OutOfRange", "headDim = -4");
    }

    @Test
    void llama3ScalingIsAtLeastOneWithItsBandsInOrder() {
        assertErrors(BASE + ", ropeScaling = 0.5", null, 1, "OutOfRange", "ropeScaling = 0.5");
        assertErrors(BASE + ", ropeScaling = 8, ropeLowFreqFactor = 4, ropeHighFreqFactor = 2", null, 1, "OutOfRange", "ropeHighFreqFactor = 2");
        assertErrors(BASE + ", ropeScaling = 8, ropeOriginalMaxSeq = 0", null, 1, "NonPositive", "ropeOriginalMaxSeq = 0");
    }

    @Test
    void depthAtLeastOne() {
        assertErrors(BASE, "loopStart = 1, loopEnd = 3, depth = 0", 1, "DepthTooSmall", "depth = 0");
    }

    @Test
    void loopStartNotAfterLoopEnd() {
        assertErrors(BASE, "loopStart = 4, loopEnd = 2", 1, "LoopStartAfterEnd", "loopStart = 4");
    }

    @Test
    void loopEndBelowLayers() {
        JavaFileObject f = Compile.source("Bad", "@Transformer(" + BASE + ")\n@RecurrentPass(loopStart = 1,\n    loopEnd = 5)\ninterface Bad {}");
        Compilation c = Compile.compile(f);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/LoopEndOutOfRange] loopEnd (5) must be < layers (5)").inFile(f).onLineContaining("loopEnd = 5");
    }

    @Test
    void recurrentPassNeedsTransformer() {
        JavaFileObject f = Compile.source("Lonely", "@RecurrentPass(loopStart = 0, loopEnd = 1)\ninterface Lonely {}");
        Compilation c = Compile.compile(f);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/MissingCompanion] @RecurrentPass needs @Transformer on the same type").inFile(f)
                .onLineContaining("@RecurrentPass");
    }

    @Test
    void allRecurrentPassErrorsTogether() {
        assertErrors(BASE, "loopStart = 6, loopEnd = 5, depth = 0", 3, "LoopEndOutOfRange", "loopEnd = 5");
    }

    @Test
    void validDecoderCompilesCleanly() {
        assertThat(Compile.compile(Compile.source("Ok", "@Transformer(" + BASE + ")\n@RecurrentPass(loopStart = 1, loopEnd = 3, depth = 3)\ninterface Ok {}")))
                .succeededWithoutWarnings();
    }
}

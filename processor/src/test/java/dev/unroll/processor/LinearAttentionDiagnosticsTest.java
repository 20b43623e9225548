package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per {@code @LinearAttention} validation rule: the error's diagnostic ID, the line of the
 * member at fault, and the error count (nothing is generated for an invalid descriptor).
 */
class LinearAttentionDiagnosticsTest {
    private static Compilation compileOne(String annotation) {
        return Compile.compile(Compile.source("Bad", annotation + "\ninterface Bad {}"));
    }

    private static void assertSingleError(String annotation, String id, String line) {
        JavaFileObject src = Compile.source("Bad", annotation + "\ninterface Bad {}");
        Compilation c = Compile.compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/" + id + "]").inFile(src).onLineContaining(line);
    }

    @Test
    void compactWeightsNeedF32() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 16, precision = Precision.F64,\n    weights = WeightFormat.BF16)",
                "CompactNeedsF32", "weights = WeightFormat.BF16");
    }

    @Test
    void compactWeightsCompileInF32WithoutWarnings() {
        for (String format : new String[] {"BF16", "Q8", "Q4"}) {
            Compilation c = Compile.compile(Compile.source("Ok" + format,
                    "@LinearAttention(mode = AttentionMode.GLA, width = 16, weights = WeightFormat." + format + ")\ninterface Ok" + format + " {}"));
            assertThat(c).succeededWithoutWarnings();
        }
    }

    @Test
    void widthMustBePositive() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA,\n    width = 0)", "NonPositive", "width = 0");
    }

    @Test
    void headsMustBePositive() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 16,\n    heads = -1)", "NonPositive", "heads = -1");
    }

    @Test
    void explicitKeyWidthMustBePositive() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 16,\n    keyWidth = 0)", "NonPositive", "keyWidth = 0");
    }

    @Test
    void explicitValueWidthMustBePositive() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 16,\n    valueWidth = -4)", "NonPositive", "valueWidth = -4");
    }

    @Test
    void headsMustDivideWidthWhenWidthsDefault() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 18,\n    heads = 4)", "HeadsNotDivisor", "heads = 4");
    }

    @Test
    void explicitWidthsNeedNoDivisibility() {
        Compilation c = Compile.compile(Compile.source("Odd",
                "@LinearAttention(mode = AttentionMode.GLA, width = 18, heads = 4, keyWidth = 5, valueWidth = 3)\ninterface Odd {}"));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void seedMustNotBeZero() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 16,\n    seed = 0)", "SeedZero", "seed = 0");
    }

    @Test
    void gammaInOpenUnitInterval() {
        assertSingleError("@LinearAttention(mode = AttentionMode.RETNET, width = 16,\n    gamma = 1.0)", "OutOfRange", "gamma = 1.0");
    }

    @Test
    void gammaMustBeFinite() {
        assertSingleError("@LinearAttention(mode = AttentionMode.RETNET, width = 16,\n    gamma = Double.NaN)", "NotFinite", "gamma = Double.NaN");
    }

    @Test
    void betaScaleInRange() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 16,\n    betaScale = 2.5)", "OutOfRange", "betaScale = 2.5");
    }

    @Test
    void initialDecayNotNegative() {
        assertSingleError("@LinearAttention(mode = AttentionMode.RWKV, width = 16,\n    initialDecay = -5)", "OutOfRange", "initialDecay = -5");
    }

    @Test
    void compositionsAtLeastOne() {
        assertSingleError("@LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 16,\n    compositions = 0)", "NonPositive", "compositions = 0");
    }

    @Test
    void lowerBoundInHalfOpenUnitInterval() {
        assertSingleError("@LinearAttention(mode = AttentionMode.HGRN2, width = 16,\n    lowerBound = 1.5)", "OutOfRange", "lowerBound = 1.5");
    }

    @Test
    void maxLevelsAtLeastOne() {
        assertSingleError("@LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16,\n    maxLevels = 0)", "NonPositive", "maxLevels = 0");
    }

    @Test
    void maxLevelsFitTheMask() {
        assertSingleError("@LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16,\n    maxLevels = 63)", "TooLarge", "maxLevels = 63");
    }

    @Test
    void lambdaInitMustBeFinite() {
        assertSingleError("@LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16,\n    lambdaInit = Double.POSITIVE_INFINITY)", "NotFinite",
                "lambdaInit = Double.POSITIVE_INFINITY");
    }

    @Test
    void logLinearCannotWrapItself() {
        assertSingleError("@LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16,\n    inner = AttentionMode.LOG_LINEAR)", "NestedLogLinear",
                "inner = AttentionMode.LOG_LINEAR");
    }

    @Test
    void parameterOfAnotherModeIsAnError() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GLA, width = 16,\n    gamma = 0.9)", "ParameterNotUsed", "gamma = 0.9");
    }

    @Test
    void betaScaleWithPerTokenBetaIsAnError() {
        assertSingleError("@LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 16, betaMode = BetaMode.PER_TOKEN,\n    betaScale = 0.5)",
                "ParameterNotUsed", "betaScale = 0.5");
    }

    @Test
    void innerModeParameterIsAWarning() {
        JavaFileObject src = Compile.source("Ll", "@LinearAttention(mode = AttentionMode.LOG_LINEAR, width = 16, inner = AttentionMode.GATED_DELTA_NET,\n"
                + "    betaScale = 0.5)\ninterface Ll {}");
        Compilation c = Compile.compile(src);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        assertThat(c).hadWarningContaining("[Unroll/ParameterIgnored]").inFile(src).onLineContaining("betaScale = 0.5");
        assertThat(c).generatedSourceFile("test.LlLayer");
    }

    @Test
    void everyErrorIsReportedAndNothingGenerated() {
        JavaFileObject src = Compile.source("Many", String.join("\n",
                "@LinearAttention(mode = AttentionMode.RETNET,",
                "    width = 18,",
                "    heads = 4,",
                "    seed = 0,",
                "    gamma = 2.0,",
                "    lowerBound = 0.5)",
                "interface Many {}"));
        Compilation c = Compile.compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(4);
        assertThat(c).hadErrorContaining("[Unroll/HeadsNotDivisor] width (18) must be divisible by heads (4)").inFile(src).onLineContaining("heads = 4");
        assertThat(c).hadErrorContaining("[Unroll/SeedZero]").inFile(src).onLineContaining("seed = 0");
        assertThat(c).hadErrorContaining("[Unroll/OutOfRange] gamma (2.0) must be in (0, 1)").inFile(src).onLineContaining("gamma = 2.0");
        assertThat(c).hadErrorContaining("[Unroll/ParameterNotUsed] lowerBound is set to 0.5 but mode RETNET does not use it")
                .inFile(src).onLineContaining("lowerBound = 0.5");
    }

    @Test
    void generatedNameClashIsReported() {
        JavaFileObject desc = Compile.source("Clash", "@LinearAttention(mode = AttentionMode.GLA, width = 16)\ninterface Clash {}");
        JavaFileObject existing = Compile.source("ClashLayer", "class ClashLayer {}");
        Compilation c = Compile.compile(desc, existing);
        assertThat(c).hadErrorContaining("[Unroll/NameClash] generated class test.ClashLayer already exists")
                .inFile(desc).onLineContaining("@LinearAttention");
    }

    @Test
    void compileErrorsOnlyFromUnrollForAValidDescriptor() {
        assertThat(compileOne("@LinearAttention(mode = AttentionMode.DELTA_PRODUCT, width = 32, heads = 2, compositions = 3, reflections = true)"))
                .succeededWithoutWarnings();
    }
}

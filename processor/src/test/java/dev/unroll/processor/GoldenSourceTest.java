package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated sources of small descriptors, byte for byte, against checked-in golden files in
 * {@code src/test/resources/golden}. After an intended change to the emitter, regenerate them with
 * {@code mvn -pl processor test -Dtest=GoldenSourceTest -Dunroll.updateGolden=true} and review the
 * diff.
 */
class GoldenSourceTest {
    static final String RETNET = "@LinearAttention(mode = AttentionMode.RETNET, width = 8, heads = 2)\ninterface Tiny {}";
    static final String GDN = "@LinearAttention(mode = AttentionMode.GATED_DELTA_NET, width = 32, heads = 2, betaMode = BetaMode.PER_TOKEN,"
            + " precision = Precision.F64)\ninterface TinyGdn {}";
    static final String Q8 = "@LinearAttention(mode = AttentionMode.RETNET, width = 8, heads = 2, weights = WeightFormat.Q8)\ninterface TinyQ8 {}";
    static final String BF16_LM = "@Transformer(layers = 2, width = 32, heads = 4, kvHeads = 2, ffnHidden = 80, vocab = 64, maxSeq = 16,"
            + " weights = WeightFormat.BF16)\ninterface TinyLmBf16 {}";
    /** Q4 with a feed-forward of 45: the down projection's rows end on half a byte and inside a block. */
    static final String Q4_LM = "@Transformer(layers = 1, width = 32, heads = 4, kvHeads = 2, ffnHidden = 45, vocab = 64, maxSeq = 16,"
            + " weights = WeightFormat.Q4)\ninterface TinyLmQ4 {}";
    /** Hidden 80: a GEMM over one whole weight panel and a partial one (16 columns). */
    static final String TRM = "@TinyRecursiveModel(hidden = 80, context = 9, vocab = 5, layers = 1, latentSteps = 2, cycles = 2, seed = 7)\n"
            + "interface TinyTrm {}";
    static final String TRM_Q8 = "@TinyRecursiveModel(hidden = 64, context = 9, vocab = 5, layers = 1, latentSteps = 2, cycles = 2, seed = 7,"
            + " weights = WeightFormat.Q8)\ninterface TinyTrmQ8 {}";

    /** The descriptor a golden file's class is generated from, by the class name's prefix. */
    private static String[] descriptor(String generated) {
        for (String[] d : new String[][] {{"TinyGdn", GDN}, {"TinyQ8", Q8}, {"TinyLmBf16", BF16_LM}, {"TinyLmQ4", Q4_LM}, {"TinyTrmQ8", TRM_Q8},
            {"TinyTrm", TRM}}) {
            if (generated.startsWith(d[0])) {
                return d;
            }
        }
        return new String[] {"Tiny", RETNET};
    }

    private static Compilation compileTiny(String body, String name) {
        return Compile.compile(true, Compile.source(name, body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TinyKernels", "TinySimdKernels", "TinyLayer", "TinyGdnKernels", "TinyGdnSimdKernels", "TinyGdnLayer", "TinyQ8Kernels",
        "TinyQ8SimdKernels", "TinyQ8Layer", "TinyLmBf16Kernels", "TinyLmBf16SimdKernels", "TinyLmBf16Model", "TinyTrmKernels", "TinyTrmSimdKernels", "TinyTrmModel",
        "TinyTrmQ8SimdKernels", "TinyLmQ4Kernels", "TinyLmQ4SimdKernels"})
    void generatedSourceMatchesGoldenFile(String generated) throws IOException {
        String[] d = descriptor(generated);
        Compilation c = compileTiny(d[1], d[0]);
        assertThat(c).succeeded();
        String actual = contents(c, "test." + generated);
        Path golden = Paths.get("src/test/resources/golden/" + generated + ".java.txt");
        if (Boolean.getBoolean("unroll.updateGolden")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "generated " + generated + " differs from " + golden);
    }

    /** With tornado-api visible (the test-only stand-in): the TornadoVM kernel class and the glue classes. */
    @ParameterizedTest
    @ValueSource(strings = {"TinyTornadoKernels", "TinyTornado", "TinyTornadoStreams"})
    void tornadoSourceMatchesGoldenFile(String generated) throws IOException {
        Compilation c = Compile.compileWithTornado(Compile.source("Tiny", RETNET));
        assertThat(c).succeeded();
        String actual = contents(c, "test." + generated);
        Path golden = Paths.get("src/test/resources/golden/tornado/" + generated + ".java.txt");
        if (Boolean.getBoolean("unroll.updateGolden")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "generated " + generated + " differs from " + golden);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TinyKernels", "TinySimdKernels", "TinyLayer"})
    void generationIsStable(String generated) {
        String first = contents(compileTiny(RETNET, "Tiny"), "test." + generated);
        String second = contents(compileTiny(RETNET, "Tiny"), "test." + generated);
        assertEquals(first, second, "identical input must give identical bytes");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void generatedCodeCompilesWithoutWarnings(boolean vectorApi) {
        Compilation c = Compile.compile(vectorApi, Compile.source("TinyGdn", GDN));
        assertThat(c).succeeded();
        for (Diagnostic<? extends JavaFileObject> d : c.warnings()) {
            // the one note javac 17 always prints for an incubator module, not about the code
            assertEquals(true, vectorApi && d.getMessage(null).contains("incubating"), "unexpected warning: " + d);
        }
    }

    /**
     * The generated classes' javadoc passes doclint (all groups, public and protected members; the
     * package-private test descriptors themselves are outside that filter), for every family.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void generatedJavadocPassesDoclint(boolean vectorApi) {
        JavaFileObject trm = Compile.source("TinyTrm", "@TinyRecursiveModel(hidden = 48, context = 9, vocab = 5, layers = 1, latentSteps = 2,"
                + " cycles = 2, seed = 7)\ninterface TinyTrm {}");
        JavaFileObject transformer = Compile.source("TinyLm", "@Transformer(layers = 3, width = 32, heads = 4, kvHeads = 2, ffnHidden = 64,"
                + " vocab = 64, maxSeq = 32)\n@RecurrentPass(loopStart = 1, loopEnd = 1, depth = 2)\ninterface TinyLm {}");
        Compilation c = Compile.compile(vectorApi, List.of("-Xdoclint:all/protected"), Compile.source("TinyGdn", GDN), trm, transformer,
                Compile.source("TinyQ8", Q8), Compile.source("TinyLmBf16", BF16_LM), Compile.source("TinyLmQ4", Q4_LM));
        assertThat(c).succeeded();
        for (Diagnostic<? extends JavaFileObject> d : c.warnings()) {
            assertEquals(true, vectorApi && d.getMessage(null).contains("incubating"), "unexpected warning: " + d);
        }
    }

    /** With tornado-api visible: the TornadoVM kernels, the glue of every family and the GPU-shaped kernels pass doclint too. */
    @Test
    void generatedTornadoSourcesPassDoclintWithoutWarnings() {
        JavaFileObject trm = Compile.source("TinyTrm", "@TinyRecursiveModel(hidden = 48, context = 9, vocab = 5, layers = 1, latentSteps = 2,"
                + " cycles = 2, seed = 7)\ninterface TinyTrm {}");
        JavaFileObject transformer = Compile.source("TinyLm", "@Transformer(layers = 3, width = 32, heads = 4, kvHeads = 2, ffnHidden = 64,"
                + " vocab = 64, maxSeq = 32)\n@RecurrentPass(loopStart = 1, loopEnd = 1, depth = 2)\ninterface TinyLm {}");
        List<JavaFileObject> sources = new java.util.ArrayList<>(List.of(Compile.source("Tiny", RETNET), trm, transformer));
        Compilation c = Compile.compileWithTornado(List.of("-Xdoclint:all/protected"), sources.toArray(JavaFileObject[]::new));
        assertThat(c).succeeded();
        for (String generated : List.of("TinyTornadoKernels", "TinyTornado", "TinyTrmTornadoKernels", "TinyTrmTornado", "TinyLmTornadoKernels",
                "TinyLmTornado", "TinyLmGpuKernels")) {
            assertTrue(c.generatedSourceFile("test." + generated).isPresent(), generated);
        }
        for (Diagnostic<? extends JavaFileObject> d : c.warnings()) {
            if (d.getSource() != null && d.getSource().getName().contains("tornado-api-stub")) {
                continue; // the stand-in itself carries no javadoc
            }
            throw new AssertionError("unexpected warning: " + d);
        }
    }

    static String contents(Compilation c, String qualifiedName) {
        try {
            return c.generatedSourceFile(qualifiedName).orElseThrow(() -> new AssertionError("not generated: " + qualifiedName))
                    .getCharContent(false).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What changes when TornadoVM's API is visible to the processor (here: the test-only stand-in in
 * {@code src/test/resources/tornado-api-stub}): {@code @Parallel} on the device tasks' parallel loops,
 * {@code TornadoMath} in place of {@code (float) Math.*}, and a glue class; nothing else, and both
 * outputs compile without warnings.
 */
class TornadoEmissionTest {
    static final String GLA = "@LinearAttention(mode = AttentionMode.GLA, width = 16, heads = 4, seed = 7)\ninterface Gla {}";
    static final String LOG_LINEAR = "@LinearAttention(mode = AttentionMode.LOG_LINEAR, inner = AttentionMode.GATED_DELTA_NET, width = 16, heads = 2,"
            + " maxLevels = 4)\ninterface Ll {}";
    static final String F64 = "@LinearAttention(mode = AttentionMode.GLA, width = 16, heads = 4, precision = Precision.F64)\ninterface Wide {}";

    private static final Pattern PARALLEL = Pattern.compile("for \\(@Parallel int (\\w+) = 0;");

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bothFlavoursCompileWithoutWarnings(boolean tornado) {
        JavaFileObject src = Compile.source("Gla", GLA);
        Compilation c = tornado ? Compile.compileWithTornado(src) : Compile.compile(src);
        assertThat(c).succeeded();
        for (Diagnostic<? extends JavaFileObject> d : c.warnings()) {
            throw new AssertionError("unexpected warning: " + d);
        }
        assertEquals(tornado, c.generatedSourceFile("test.GlaTornado").isPresent(), "glue class only with tornado-api visible");
    }

    @Test
    void withoutTornadoNothingTornadoIsEmitted() {
        Compilation c = Compile.compile(Compile.source("Gla", GLA));
        for (String name : List.of("test.GlaKernels", "test.GlaLayer")) {
            assertFalse(GoldenSourceTest.contents(c, name).contains("tornado"), name);
        }
    }

    @Test
    void tornadoKernelsDifferOnlyByParallelAndTornadoMath() {
        String plain = GoldenSourceTest.contents(Compile.compile(Compile.source("Ll", LOG_LINEAR)), "test.LlKernels");
        String tornado = GoldenSourceTest.contents(Compile.compileWithTornado(Compile.source("Ll", LOG_LINEAR)), "test.LlKernels");

        // @Parallel on exactly the device tasks' parallel loops: tokens x rows of both GEMMs, heads of the scan
        List<String> parallel = new ArrayList<>();
        Matcher m = PARALLEL.matcher(tornado);
        while (m.find()) {
            parallel.add(m.group(1));
        }
        assertEquals(List.of("t", "r", "h", "t", "r"), parallel, "parallel loop variables in emission order: projectSequence, scanHeads, outputSequence");
        assertTrue(tornado.contains("import static uk.ac.manchester.tornado.api.math.TornadoMath.*;"));
        assertTrue(tornado.contains("import uk.ac.manchester.tornado.api.annotations.Parallel;"));
        assertFalse(tornado.contains("Math.exp") || tornado.contains("Math.log") || tornado.contains("Math.tanh"),
                "float maths goes through TornadoMath");

        // undo exactly those changes (maths names outside comments only): the rest must be byte-identical
        StringBuilder undone = new StringBuilder();
        for (String line : tornado.split("\n", -1)) {
            if (line.startsWith("import uk.ac.manchester.tornado") || line.startsWith("import static uk.ac.manchester.tornado")) {
                continue;
            }
            line = line.replace("@Parallel int", "int")
                    .replace(" (TornadoVM API present: parallel loops carry {@code @Parallel}, maths uses {@code TornadoMath})", "");
            if (!line.trim().startsWith("*")) {
                line = line.replaceAll("(?<![\\w.])(exp|log|tanh|sqrt)\\(", "(float) Math.$1(");
            }
            undone.append(line).append('\n');
        }
        String normalised = undone.substring(0, undone.length() - 1).replace("package test;\n\n\n", "package test;\n\n");
        assertEquals(plain, normalised);
    }

    @Test
    void glueBuildsOneGraphWithFourTasksAndPersistentState() {
        String glue = GoldenSourceTest.contents(Compile.compileWithTornado(Compile.source("Gla", GLA)), "test.GlaTornado");
        assertTrue(glue.contains(".transferToDevice(DataTransferMode.FIRST_EXECUTION, layer.wIn, layer.wOut, aux, s, meta, proj, concat, scratch)"));
        assertTrue(glue.contains(".transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)"));
        assertTrue(glue.contains(".persistOnDevice(s, meta)"));
        assertTrue(glue.contains(".transferToHost(DataTransferMode.EVERY_EXECUTION, ys)"));
        assertTrue(glue.contains(".withPreCompilation()"));
        int project = glue.indexOf(".task(\"project\", GlaKernels::projectSequence");
        int scan = glue.indexOf(".task(\"scan\", GlaKernels::scanHeads");
        int advance = glue.indexOf(".task(\"advance\", GlaKernels::advance");
        int output = glue.indexOf(".task(\"output\", GlaKernels::outputSequence");
        assertTrue(project > 0 && project < scan && scan < advance && advance < output, "tasks in forward's order");
    }

    @Test
    void f64LayersGetNoGlue() {
        Compilation c = Compile.compileWithTornado(Compile.source("Wide", F64));
        assertThat(c).succeeded();
        assertFalse(c.generatedSourceFile("test.WideTornado").isPresent(), "GPUs run F32: no glue for an F64 layer");
        assertTrue(GoldenSourceTest.contents(c, "test.WideKernels").contains("@Parallel int h"), "kernels still carry @Parallel");
    }

    static void assertBitIdentical(float[] expected, float[] actual, String what) {
        int[] e = new int[expected.length];
        int[] a = new int[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Float.floatToRawIntBits(expected[i]);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = Float.floatToRawIntBits(actual[i]);
        }
        assertArrayEquals(e, a, what);
    }
}

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
 * {@code src/test/resources/tornado-api-stub}): a TornadoVM kernel class ({@code @Parallel} on the
 * device tasks' parallel loops, {@code TornadoMath} in place of {@code (float) Math.*}, rolled loops) and
 * a glue class beside unchanged plain kernels; both outputs compile without warnings.
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
        assertFalse(c.generatedSourceFile("test.GlaTornadoKernels").isPresent());
        for (String name : List.of("test.GlaKernels", "test.GlaLayer")) {
            assertFalse(GoldenSourceTest.contents(c, name).contains("tornado"), name);
        }
    }

    /**
     * With tornado-api visible the plain kernels do not change (a JVM without TornadoVM's API runs them and
     * never meets {@code TornadoMath}); the TornadoVM kernels are a class of their own, with the plain
     * kernels' methods plus the device-only tasks, {@code @Parallel} on exactly the device tasks' parallel
     * loops, maths through {@code TornadoMath}, and every loop rolled (TornadoVM refuses to inline a callee
     * over 600 Graal nodes, which the unrolled width-16 scans of DeltaProduct and RWKV-7 exceed). That they
     * compute the same bits is TornadoGlueRunTest's job.
     */
    @Test
    void tornadoKernelsAreAClassOfTheirOwnWithParallelLoopsAndTornadoMath() {
        Compilation plainC = Compile.compile(Compile.source("Ll", LOG_LINEAR));
        Compilation tornadoC = Compile.compileWithTornado(Compile.source("Ll", LOG_LINEAR));
        String plain = GoldenSourceTest.contents(plainC, "test.LlKernels");
        assertEquals(plain, GoldenSourceTest.contents(tornadoC, "test.LlKernels"), "the plain kernels are the same with tornado-api visible");
        String tornado = GoldenSourceTest.contents(tornadoC, "test.LlTornadoKernels");

        // @Parallel on exactly the device tasks' parallel loops: tokens x rows of both GEMMs, heads of the scan,
        // streams x heads of the streams' scan, tokens x rows of the two output tasks that fold in the counters
        List<String> parallel = new ArrayList<>();
        Matcher m = PARALLEL.matcher(tornado);
        while (m.find()) {
            parallel.add(m.group(1));
        }
        assertEquals(List.of("t", "r", "h", "b", "h", "t", "r", "t", "r", "t", "r"), parallel,
                "parallel loop variables in emission order: projectSequence, scanHeads, scanStreams, outputChunk, outputStreams, outputSequence");
        assertTrue(tornado.contains("import static uk.ac.manchester.tornado.api.math.TornadoMath.*;"));
        assertTrue(tornado.contains("import uk.ac.manchester.tornado.api.annotations.Parallel;"));
        assertFalse(plain.contains("tornado"), "no trace of TornadoVM in the plain kernels");
        assertFalse(tornado.contains("Math.exp") || tornado.contains("Math.log") || tornado.contains("Math.tanh"),
                "float maths goes through TornadoMath");
        List<String> extra = new ArrayList<>(signatures(tornado));
        assertTrue(extra.containsAll(signatures(plain)), "every public method of the plain kernels");
        extra.removeAll(signatures(plain));
        assertEquals(List.of("scanStreams(float[] proj, float[] aux, float[] states, long[] metas, float[] concat, float[] scratch, int streams)",
                "outputChunk(float[] wOut, float[] concat, float[] ys, long[] meta, int tokens)",
                "outputStreams(float[] wOut, float[] concat, float[] ys, long[] metas, int streams)"), extra, "and the device-only tasks of the glue");
        assertTrue(plain.contains("headStep(0, proj, 0"), "the plain step unrolls its heads");
        assertFalse(tornado.contains("headStep(0, proj, 0"), "the TornadoVM flavour keeps the head loop rolled");
    }

    private static List<String> signatures(String source) {
        List<String> s = new ArrayList<>();
        Matcher m = Pattern.compile("public static void (\\w+)\\(([^)]*)\\)").matcher(source.replaceAll("\\s+", " "));
        while (m.find()) {
            s.add(m.group(1) + "(" + m.group(2) + ")");
        }
        return s;
    }

    @Test
    void glueBuildsOneGraphWithThreeTasksAndPersistentState() {
        String glue = GoldenSourceTest.contents(Compile.compileWithTornado(Compile.source("Gla", GLA)), "test.GlaTornado");
        assertTrue(glue.contains(".transferToDevice(DataTransferMode.FIRST_EXECUTION, layer.wIn, layer.wOut, aux, s, meta, proj, concat, scratch)"));
        assertTrue(glue.contains(".transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)"));
        assertTrue(glue.contains(".persistOnDevice(s, meta)"));
        assertTrue(glue.contains(".transferToHost(DataTransferMode.EVERY_EXECUTION, ys)"));
        assertTrue(glue.contains(".withPreCompilation()"));
        int project = glue.indexOf(".task(\"project\", GlaTornadoKernels::projectSequence");
        int scan = glue.indexOf(".task(\"scan\", GlaTornadoKernels::scanHeads");
        int output = glue.indexOf(".task(\"output\", GlaTornadoKernels::outputChunk");
        assertTrue(project > 0 && project < scan && scan < output, "tasks in forward's order, the counters' advance folded into the output task");
        assertEquals(3, glue.split("\\.task\\(").length - 1, "three launches per chunk");
    }

    @Test
    void f64LayersGetNoGlue() {
        Compilation c = Compile.compileWithTornado(Compile.source("Wide", F64));
        assertThat(c).succeeded();
        assertFalse(c.generatedSourceFile("test.WideTornado").isPresent(), "GPUs run F32: no glue for an F64 layer");
        assertFalse(c.generatedSourceFile("test.WideTornadoKernels").isPresent(), "nor TornadoVM kernels");
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

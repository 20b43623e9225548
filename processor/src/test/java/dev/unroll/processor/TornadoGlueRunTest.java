package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.random.Xorshift64;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs what the processor emits with tornado-api visible, on the JVM: the TornadoVM-flavoured kernels
 * (with {@code @Parallel} and {@code TornadoMath}) must give bit-identical outputs and states to the
 * plain ones, and the glue class, driven through the test-only API stand-in (which runs each task
 * sequentially, as a TornadoVM bailout would), must wire the tasks so that chunks reproduce the layer's
 * own {@code forward}, bit for bit.
 */
class TornadoGlueRunTest {
    private static final int TOKENS = 5;
    private static final int CHUNKS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"GLA", "GATED_DELTA_NET", "RWKV7", "LOG_LINEAR"})
    void tornadoFlavourAndGlueMatchPlainKernelsBitForBit(String mode) throws Exception {
        String inner = mode.equals("LOG_LINEAR") ? ", inner = AttentionMode.GATED_DELTA_NET, maxLevels = 4" : "";
        String body = "@LinearAttention(mode = AttentionMode." + mode + inner + ", width = 16, heads = 2, seed = 11)\ninterface M {}";
        Compilation plainC = Compile.compile(Compile.source("M", body));
        Compilation tornadoC = Compile.compileWithTornado(Compile.source("M", body));
        assertThat(plainC).succeeded();
        assertThat(tornadoC).succeeded();
        CompiledClasses plain = new CompiledClasses(plainC);
        CompiledClasses tornado = new CompiledClasses(tornadoC);

        LinearAttentionLayer reference = scalarLayer(plain, "M");
        LinearAttentionLayer flavoured = scalarLayer(tornado, "M");
        AttentionState refState = reference.newState();
        AttentionState flavState = flavoured.newState();
        AttentionState glueState = flavoured.newState();
        int width = reference.spec().width();

        Class<?> glueClass = tornado.get("test.MTornado");
        try (SequenceRunner glue = (SequenceRunner) glueClass.getConstructor(flavoured.getClass(), AttentionState.class, int.class, int.class, int.class)
                .newInstance(flavoured, glueState, TOKENS, -1, -1)) {
            assertEquals(Backend.TORNADOVM, glue.backend());
            Xorshift64 rng = new Xorshift64(99);
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                float[] xs = new float[TOKENS * width];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) (rng.nextUniform() * 2 - 1);
                }
                float[] expected = new float[xs.length];
                float[] viaFlavour = new float[xs.length];
                float[] viaGlue = new float[xs.length];
                reference.forward(refState, xs, TOKENS, expected);
                flavoured.forward(flavState, xs, TOKENS, viaFlavour);
                glue.run(xs, viaGlue);
                TornadoEmissionTest.assertBitIdentical(expected, viaFlavour, mode + " chunk " + chunk + ": TornadoVM-flavoured kernels");
                TornadoEmissionTest.assertBitIdentical(expected, viaGlue, mode + " chunk " + chunk + ": glue");
            }
            glue.syncState();
        }
        TornadoEmissionTest.assertBitIdentical(refState.f32(), flavState.f32(), mode + " state, flavoured");
        TornadoEmissionTest.assertBitIdentical(refState.f32(), glueState.f32(), mode + " state, glue");
        assertEquals(refState.tokens(), glueState.tokens());
        assertEquals(refState.levelMask(), glueState.levelMask());
        assertEquals(TOKENS * CHUNKS, glueState.tokens());

        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) tornado.get("uk.ac.manchester.tornado.api.TornadoExecutionPlan").getField("EVENTS").get(null);
        assertEquals("precompile", events.get(0));
        assertTrue(events.get(1).startsWith("execute M [toDevice mode=0 n=8, toDevice mode=1 n=1, task M.project, task M.scan, task M.advance,"
                + " task M.output, persist n=2, toHost mode=1 n=1]"), events.get(1));
        assertEquals("close", events.get(events.size() - 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3})
    void glueRejectsChunksShorterThanOneToken(int tokens) throws Exception {
        String body = "@LinearAttention(mode = AttentionMode.RETNET, width = 16, heads = 2)\ninterface R {}";
        CompiledClasses tornado = new CompiledClasses(Compile.compileWithTornado(Compile.source("R", body)));
        LinearAttentionLayer layer = scalarLayer(tornado, "R");
        Class<?> glue = tornado.get("test.RTornado");
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> glue.getConstructor(layer.getClass(), AttentionState.class,
                int.class, int.class, int.class).newInstance(layer, layer.newState(), tokens, -1, -1));
        assertEquals(UnrollException.class, e.getCause().getClass());
        assertEquals("tokens (" + tokens + ") must be >= 1", e.getCause().getMessage());
    }

    /** TRM kernels with TornadoMath and @Parallel annotations compute the same bits as the plain ones. */
    @ParameterizedTest
    @ValueSource(strings = {"MLP", "ATTENTION"})
    void tornadoFlavouredTrmKernelsMatchPlainOnesBitForBit(String mixer) throws Exception {
        String body = "@TinyRecursiveModel(hidden = 64, context = 12, vocab = 6, layers = 2, latentSteps = 2, cycles = 2, prefix = 4, mixer = TokenMixer."
                + mixer + (mixer.equals("ATTENTION") ? ", heads = 4" : "") + ", seed = 3)\ninterface T {}";
        float[] plain = network(new CompiledClasses(compiled(Compile.compile(Compile.source("T", body)))));
        float[] tornado = network(new CompiledClasses(compiled(Compile.compileWithTornado(Compile.source("T", body)))));
        TornadoEmissionTest.assertBitIdentical(plain, tornado, mixer + " network call");
    }

    private static Compilation compiled(Compilation c) {
        assertThat(c).succeeded();
        return c;
    }

    private static float[] network(CompiledClasses classes) throws Exception {
        dev.unroll.runtime.trm.TrmModel m = (dev.unroll.runtime.trm.TrmModel) classes.get("test.TModel").getMethod("seeded").invoke(null);
        assertTrue(m.implementation().contains("scalar"), m.implementation());
        int[] tokens = new int[m.spec().context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 5 + 1) % m.spec().vocab();
        }
        float[] in = m.embed(tokens, 1);
        float[] out = new float[in.length];
        m.network(in, 1, out);
        return out;
    }

    /** The seeded layer: compiled without the Vector API, so the scalar flavour. */
    private static LinearAttentionLayer scalarLayer(CompiledClasses classes, String name) throws Exception {
        LinearAttentionLayer layer = (LinearAttentionLayer) classes.get("test." + name + "Layer").getMethod("seeded").invoke(null);
        assertTrue(layer.implementation().contains("scalar"), layer.implementation());
        return layer;
    }
}

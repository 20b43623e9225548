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
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.internal.random.Xorshift64;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs what the processor emits with tornado-api visible, on the JVM, through the test-only API stand-in
 * (which runs each task sequentially, as a TornadoVM bailout would): the glue classes over the TornadoVM
 * kernel class ({@code @Parallel}, {@code TornadoMath}, rolled loops) must reproduce the plain kernels,
 * bit for bit for linear attention, and within rounding for TRM and the transformer, whose device tasks
 * take the norm's inverse in float.
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
        assertTrue(events.get(1).startsWith("execute M [toDevice mode=0 n=8, toDevice mode=1 n=1, task M.project, task M.scan,"
                + " task M.output, persist n=2, toHost mode=1 n=1]"), events.get(1));
        assertEquals("close", events.get(events.size() - 1));
    }

    /**
     * The streams glue ({@code MTornadoStreams}: one projection GEMM over the streams' tokens, every head of
     * every stream in one task, each on its slice of the gathered states) steps like the layer's own
     * {@code stepBatch}, bit for bit, outputs and states, with streams at different positions (LogLinear's
     * level masks differ per stream).
     */
    @ParameterizedTest
    @ValueSource(strings = {"GLA", "GATED_DELTA_NET", "RWKV7", "LOG_LINEAR"})
    void streamsGlueStepsLikeStepBatchBitForBit(String mode) throws Exception {
        String inner = mode.equals("LOG_LINEAR") ? ", inner = AttentionMode.GATED_DELTA_NET, maxLevels = 4" : "";
        String body = "@LinearAttention(mode = AttentionMode." + mode + inner + ", width = 16, heads = 2, seed = 11)\ninterface M {}";
        CompiledClasses plain = new CompiledClasses(Compile.compile(Compile.source("M", body)));
        CompiledClasses tornado = new CompiledClasses(Compile.compileWithTornado(Compile.source("M", body)));
        LinearAttentionLayer reference = scalarLayer(plain, "M");
        LinearAttentionLayer flavoured = scalarLayer(tornado, "M");
        int width = reference.spec().width();
        int streams = 3;
        Xorshift64 rng = new Xorshift64(7);
        AttentionState[] refStates = new AttentionState[streams];
        AttentionState[] glueStates = new AttentionState[streams];
        for (int b = 0; b < streams; b++) {
            refStates[b] = reference.newState();
            glueStates[b] = flavoured.newState();
            for (int t = 0; t < 2 * b + 1; t++) { // stream b starts at position 2b + 1
                float[] x = random(rng, width);
                reference.step(refStates[b], x, new float[width]);
                flavoured.step(glueStates[b], x, new float[width]);
            }
        }
        Class<?> glueClass = tornado.get("test.MTornadoStreams");
        try (StreamsRunner glue = (StreamsRunner) glueClass.getConstructor(flavoured.getClass(), AttentionState[].class, int.class, int.class)
                .newInstance(flavoured, glueStates, -1, -1)) {
            assertEquals(Backend.TORNADOVM, glue.backend());
            assertEquals(streams, glue.streams());
            for (int step = 0; step < 4; step++) {
                float[][] xs = new float[streams][];
                float[][] expected = new float[streams][width];
                float[] flat = new float[streams * width];
                for (int b = 0; b < streams; b++) {
                    xs[b] = random(rng, width);
                    System.arraycopy(xs[b], 0, flat, b * width, width);
                }
                reference.stepBatch(refStates, xs, expected, 1);
                float[] got = new float[streams * width];
                glue.step(flat, got);
                for (int b = 0; b < streams; b++) {
                    TornadoEmissionTest.assertBitIdentical(expected[b], java.util.Arrays.copyOfRange(got, b * width, (b + 1) * width),
                            mode + " step " + step + ", stream " + b);
                }
            }
            glue.syncStates();
        }
        for (int b = 0; b < streams; b++) {
            TornadoEmissionTest.assertBitIdentical(refStates[b].f32(), glueStates[b].f32(), mode + " state of stream " + b);
            assertEquals(refStates[b].tokens(), glueStates[b].tokens(), "tokens of stream " + b);
            assertEquals(refStates[b].levelMask(), glueStates[b].levelMask(), "level mask of stream " + b);
        }
        assertEquals(2 * (streams - 1) + 1 + 4, glueStates[streams - 1].tokens());
    }

    private static float[] random(Xorshift64 rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextUniform() * 2 - 1);
        }
        return x;
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

    /**
     * The TRM glue's one-call graph, executed once per network call of the recursion, reproduces the
     * model's supervision steps: logits, halting outputs and the carry it keeps (on the device, here on
     * the heap). The network is scaled by 0.5 as in the seed's well-conditioned golden file: with seeded
     * weights the 21-call recursion amplifies rounding differences (the device tasks take the RMS norm's
     * inverse in float, the host kernels in double).
     */
    @ParameterizedTest
    @ValueSource(strings = {"MLP", "ATTENTION"})
    void trmGlueRunsTheRecursionAsOneGraphPerNetworkCall(String mixer) throws Exception {
        String body = "@TinyRecursiveModel(hidden = 64, context = 12, vocab = 6, layers = 2, latentSteps = 3, cycles = 2, prefix = 4, mixer = TokenMixer."
                + mixer + (mixer.equals("ATTENTION") ? ", heads = 4" : "") + ", haltOutputs = 2, seed = 3)\ninterface T {}";
        CompiledClasses classes = new CompiledClasses(compiled(Compile.compileWithTornado(Compile.source("T", body))));
        Class<?> modelClass = classes.get("test.TModel");
        dev.unroll.runtime.trm.TrmSpec spec = (dev.unroll.runtime.trm.TrmSpec) modelClass.getField("SPEC").get(null);
        dev.unroll.runtime.trm.TrmModel model = (dev.unroll.runtime.trm.TrmModel) modelClass.getMethod("of", dev.unroll.runtime.trm.TrmWeights.class)
                .invoke(null, dev.unroll.runtime.trm.TrmWeights.seeded(spec).scaleNetwork(0.5f));
        int batch = 3;
        int[] tokens = new int[batch * spec.context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 5 + 1) % spec.vocab();
        }
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) classes.get("uk.ac.manchester.tornado.api.TornadoExecutionPlan").getField("EVENTS").get(null);
        events.clear();
        dev.unroll.runtime.trm.TrmCarry carry = model.initialCarry(batch);
        try (dev.unroll.runtime.trm.TrmRunner glue = (dev.unroll.runtime.trm.TrmRunner) classes.get("test.TTornado")
                .getConstructor(dev.unroll.runtime.codegen.GeneratedTrm.class, int.class, int.class, int.class).newInstance(model, batch, -1, -1)) {
            assertEquals(Backend.TORNADOVM, glue.backend());
            for (int step = 0; step < 2; step++) {
                dev.unroll.runtime.trm.TrmStep want = model.step(tokens, carry);
                dev.unroll.runtime.trm.TrmStep got = glue.step(tokens);
                assertClose(want.logits(), got.logits(), 2e-5, mixer + " step " + step + " logits");
                assertClose(want.halt(), got.halt(), 2e-5, mixer + " step " + step + " halt");
            }
            assertClose(carry.y(), glue.carry().y(), 2e-5, mixer + " carry y");
            assertClose(carry.z(), glue.carry().z(), 2e-5, mixer + " carry z");
            glue.reset();
            assertClose(model.initialCarry(batch).z(), glue.carry().z(), 0, mixer + " carry after reset");
        }
        // one pre-compiled graph; a step executes it once per network call: 2 cycles x (3 latent + 1 answer)
        assertEquals("precompile", events.get(0));
        assertEquals(2 * 2 * (3 + 1), events.stream().filter(e -> e.startsWith("execute T ")).count());
        String graph = events.get(1);
        assertTrue(graph.contains("task T.embed, task T.reset, task T.in, toDevice mode=0 n=4, task T.l0_"), graph);
        assertTrue(graph.endsWith("task T.out, task T.heads, persist n=2, toHost mode=1 n=2]"), graph);
    }

    /**
     * The transformer glue runs a decoding step over a layer schedule; driven by the runtime's device
     * session (here through the stand-in), it reproduces the JVM decoder's greedy tokens and logits in the
     * plain, iterated and feedback modes of a recurrent pass, and cuts a long schedule into several graphs.
     * The prompt (39 tokens before the newest) runs in two blocks of the device tasks, the feedback at
     * position 2 inside the first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "iterate", "feedback", "sustained"})
    void transformerGlueDecodesLikeTheJvm(String mode) throws Exception {
        String body = "@Transformer(layers = 4, width = 32, heads = 4, kvHeads = 2, ffnHidden = 44, vocab = 40, maxSeq = 64)\n"
                + "@RecurrentPass(loopStart = 1, loopEnd = 2, depth = 3)\ninterface D {}";
        CompiledClasses classes = new CompiledClasses(compiled(Compile.compileWithTornado(Compile.source("D", body))));
        Class<?> modelClass = classes.get("test.DModel");
        dev.unroll.runtime.transformer.TransformerSpec spec = (dev.unroll.runtime.transformer.TransformerSpec) modelClass.getField("SPEC").get(null);
        dev.unroll.runtime.transformer.TransformerModel model = (dev.unroll.runtime.transformer.TransformerModel) modelClass
                .getMethod("of", dev.unroll.runtime.transformer.TransformerWeights.class).invoke(null, randomWeights(spec.withoutBlock(), 5));
        float[] v = new float[spec.width()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.cos(i);
        }
        dev.unroll.runtime.transformer.RecurrentPassSpec rp = switch (mode) {
            case "plain" -> null;
            case "iterate" -> dev.unroll.runtime.transformer.RecurrentPassSpec.noFeedback(1, 2).withDepth(3);
            case "feedback" -> dev.unroll.runtime.transformer.RecurrentPassSpec.noFeedback(1, 2).addFeedback(2, v, 0.5f);
            default -> dev.unroll.runtime.transformer.RecurrentPassSpec.noFeedback(1, 2).addFeedback(2, v, 0.5f).withSustained(true);
        };
        int[] prompt = new int[40];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (i * 7 + 1) % spec.vocab();
        }
        dev.unroll.runtime.transformer.Generation g = new dev.unroll.runtime.transformer.Generation(prompt, 20,
                dev.unroll.runtime.transformer.Sampler.greedy(), rp, java.util.Set.of(), null, true);
        dev.unroll.runtime.transformer.GenerationResult jvm = new dev.unroll.runtime.transformer.CachedGenerator(model, Backend.JVM).generate(g);
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) classes.get("uk.ac.manchester.tornado.api.TornadoExecutionPlan").getField("EVENTS").get(null);
        events.clear();
        System.setProperty(Backend.TORNADO_RUNTIME_PROPERTY, "stand-in");
        dev.unroll.runtime.transformer.GenerationResult device;
        try {
            device = new dev.unroll.runtime.transformer.CachedGenerator(model, Backend.TORNADOVM).generate(g);
        } finally {
            System.clearProperty(Backend.TORNADO_RUNTIME_PROPERTY);
        }
        assertTrue(device.mode().contains("TornadoVM"), device.mode());
        // iterate runs 1 + 3 x 2 + 1 = 8 scheduled layers: two graphs of at most 6, one plan each
        int graphs = mode.equals("iterate") ? 2 : 1;
        for (int k = 0; k < 3; k++) {
            String prefix = "execute D" + k + " ";
            assertEquals(k < graphs, events.stream().anyMatch(e -> e.startsWith(prefix)), mode + ": graph D" + k);
        }
        // two executions for the prompt's blocks of 32 and 7, then one per step (two when sustained)
        long steps = mode.equals("sustained") ? 2 * 20 : 20;
        assertEquals(2 + steps, events.stream().filter(e -> e.startsWith("execute D0 ")).count(), mode + ": executions of graph D0");
        assertEquals(java.util.Arrays.toString(jvm.tokens()), java.util.Arrays.toString(device.tokens()), mode + ": greedy tokens");
        for (int i = 0; i < jvm.logits().size(); i++) {
            assertClose(jvm.logits().get(i), device.logits().get(i), 1e-5, mode + " logits of step " + i);
        }
    }

    /**
     * Many sequences on the transformer glue (through the stand-in): 35 sequences, two blocks of the device
     * tasks, each attending to its own cache, some repeating their first position, against the JVM's
     * batched step, with and without the descriptor's recurrent block.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void transformerGlueStepsManySequencesLikeTheJvm(boolean looped) throws Exception {
        String body = "@Transformer(layers = 3, width = 32, heads = 4, kvHeads = 2, ffnHidden = 44, vocab = 40, maxSeq = 16)\n"
                + (looped ? "@RecurrentPass(loopStart = 1, loopEnd = 1, depth = 2)\n" : "") + "interface B {}";
        CompiledClasses classes = new CompiledClasses(compiled(Compile.compileWithTornado(Compile.source("B", body))));
        Class<?> modelClass = classes.get("test.BModel");
        dev.unroll.runtime.transformer.TransformerSpec spec = (dev.unroll.runtime.transformer.TransformerSpec) modelClass.getField("SPEC").get(null);
        dev.unroll.runtime.transformer.TransformerModel model = (dev.unroll.runtime.transformer.TransformerModel) modelClass
                .getMethod("of", dev.unroll.runtime.transformer.TransformerWeights.class).invoke(null, randomWeights(spec.withoutBlock(), 9));
        int n = 35;
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) classes.get("uk.ac.manchester.tornado.api.TornadoExecutionPlan").getField("EVENTS").get(null);
        try (dev.unroll.runtime.transformer.BatchDecodeRunner jvm = dev.unroll.runtime.transformer.TransformerRunners.openBatch(model, n, Backend.JVM)) {
            System.setProperty(Backend.TORNADO_RUNTIME_PROPERTY, "stand-in");
            events.clear();
            try (dev.unroll.runtime.transformer.BatchDecodeRunner device = dev.unroll.runtime.transformer.TransformerRunners.openBatch(model, n,
                    Backend.TORNADOVM)) {
                assertEquals(Backend.TORNADOVM, device.backend());
                assertEquals(n, device.sequences());
                int[] ran = new int[n];
                for (int t = 0; t < 6; t++) {
                    int[] tokens = new int[n];
                    int[] positions = new int[n];
                    for (int q = 0; q < n; q++) {
                        tokens[q] = (q * 5 + t * 3 + 1) % spec.vocab();
                        positions[q] = q % 3 == 0 ? Math.max(0, ran[q] - 1) : ran[q]; // every third sequence runs its last position again
                        ran[q] = Math.max(ran[q], positions[q] + 1);
                    }
                    float[][] want = new float[n][spec.vocab()];
                    float[][] got = new float[n][spec.vocab()];
                    jvm.next(tokens, positions, want);
                    device.next(tokens, positions, got);
                    for (int q = 0; q < n; q++) {
                        assertClose(want[q], got[q], 1e-5, "looped " + looped + ", step " + t + ", sequence " + q);
                    }
                }
            } finally {
                System.clearProperty(Backend.TORNADO_RUNTIME_PROPERTY);
            }
        }
        // blocks of 32 and 3 sequences: two executions per step
        assertEquals(12, events.stream().filter(e -> e.startsWith("execute B0 ")).count(), "executions of graph B0");
    }

    /** A glue built for many sequences holds no one generation's caches: step and absorb are refused, naming the call. */
    @org.junit.jupiter.api.Test
    void aGlueBuiltForManySequencesRefusesOneGenerationsCalls() throws Exception {
        String body = "@Transformer(layers = 1, width = 16, heads = 2, ffnHidden = 24, vocab = 20, maxSeq = 8)\ninterface S {}";
        CompiledClasses classes = new CompiledClasses(compiled(Compile.compileWithTornado(Compile.source("S", body))));
        Class<?> modelClass = classes.get("test.SModel");
        dev.unroll.runtime.transformer.TransformerSpec spec = (dev.unroll.runtime.transformer.TransformerSpec) modelClass.getField("SPEC").get(null);
        dev.unroll.runtime.transformer.TransformerModel model = (dev.unroll.runtime.transformer.TransformerModel) modelClass
                .getMethod("of", dev.unroll.runtime.transformer.TransformerWeights.class).invoke(null, randomWeights(spec, 3));
        dev.unroll.runtime.transformer.DecoderGlue glue = (dev.unroll.runtime.transformer.DecoderGlue) classes.get("test.STornado$Provider")
                .getConstructor().newInstance();
        try (dev.unroll.runtime.transformer.DeviceDecoder d = glue.openSequences(model, new int[] {0}, 3, dev.unroll.runtime.backend.DeviceIndex.DEFAULT)) {
            assertEquals(3, d.sequences());
            UnrollException step = assertThrows(UnrollException.class, () -> d.step(1, 0, null, new float[spec.vocab()]));
            assertEquals("step: this decoder holds the caches of 3 sequences: step them with stepSequences", step.getMessage());
            UnrollException absorb = assertThrows(UnrollException.class, () -> d.absorb(new int[] {1, 2}, 0, 2, 0, null));
            assertTrue(absorb.getMessage().startsWith("absorb: this decoder holds the caches of 3 sequences"), absorb.getMessage());
            UnrollException none = assertThrows(UnrollException.class, () -> glue.openSequences(model, new int[] {0}, 0,
                    dev.unroll.runtime.backend.DeviceIndex.DEFAULT));
            assertTrue(none.getMessage().startsWith("sequences = 0: from 1"), none.getMessage());
        }
    }

    /** Weights of N(0, 0.5) / sqrt(fan-in) scale for a small decoder, from a fixed seed. */
    private static dev.unroll.runtime.transformer.TransformerWeights randomWeights(dev.unroll.runtime.transformer.TransformerSpec spec, long seed) {
        Xorshift64 rng = new Xorshift64(seed);
        java.util.Map<String, dev.unroll.runtime.weights.TensorSource.Array> tensors = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, long[]> e : dev.unroll.runtime.transformer.TransformerWeights.shapes(spec).entrySet()) {
            long[] shape = e.getValue();
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            double scale = shape.length == 1 ? 0 : 1.0 / Math.sqrt(shape[shape.length - 1]);
            double[] data = new double[n];
            for (int i = 0; i < n; i++) {
                data[i] = shape.length == 1 ? 1 + 0.1 * (rng.nextUniform() - 0.5) : scale * 2 * (rng.nextUniform() - 0.5);
            }
            tensors.put(e.getKey(), new dev.unroll.runtime.weights.TensorSource.Array(shape, data));
        }
        return dev.unroll.runtime.transformer.TransformerWeights.load(spec, dev.unroll.runtime.weights.TensorSource.of("random", tensors));
    }

    private static void assertClose(float[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double max = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= rel * Math.max(max, 1e-30), what + ": max abs error " + err + " of values up to " + max + " (relative tolerance " + rel + ")");
    }

    private static Compilation compiled(Compilation c) {
        assertThat(c).succeeded();
        return c;
    }

    /** The seeded layer: compiled without the Vector API, so the scalar flavour. */
    private static LinearAttentionLayer scalarLayer(CompiledClasses classes, String name) throws Exception {
        LinearAttentionLayer layer = (LinearAttentionLayer) classes.get("test." + name + "Layer").getMethod("seeded").invoke(null);
        assertTrue(layer.implementation().contains("scalar"), layer.implementation());
        return layer;
    }
}

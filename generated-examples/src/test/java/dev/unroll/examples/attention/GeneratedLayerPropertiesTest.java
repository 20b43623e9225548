package dev.unroll.examples.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.cli.inspect.MethodSizes;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every generated layer of the examples must have, for both flavours. */
class GeneratedLayerPropertiesTest {
    static Stream<LinearAttentionProvider> layers() {
        return KernelRegistry.all().stream().filter(p -> p instanceof LinearAttentionProvider).map(p -> (LinearAttentionProvider) p);
    }

    static float[] stream(int tokens, int d, double amp) {
        float[] xs = new float[tokens * d];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < d; i++) {
                xs[t * d + i] = (float) (amp * Math.sin(0.37 * t + 0.11 * i) + 0.3 * Math.cos(1.7 * t * (i + 1)));
            }
        }
        return xs;
    }

    static float[] slice(float[] a, int off, int len) {
        float[] s = new float[len];
        System.arraycopy(a, off, s, 0, len);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void registeredWithItsDescriptor(LinearAttentionProvider p) throws Exception {
        Class<?> layer = Class.forName(p.generatedClass());
        assertEquals(p.spec(), layer.getField("SPEC").get(null));
        assertEquals(Flavour.vectorModulePresent(), p.simdGenerated() && Flavour.vectorModulePresent());
        assertTrue(java.lang.reflect.Modifier.isFinal(layer.getModifiers()), "generated classes are final");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void everyKernelMethodStaysUnderTheJitLimit(LinearAttentionProvider p) throws Exception {
        String base = p.generatedClass().substring(0, p.generatedClass().length() - "Layer".length());
        for (String suffix : List.of("Kernels", "SimdKernels", "Layer")) {
            Class<?> c = Class.forName(base + suffix);
            for (Map.Entry<String, Integer> m : MethodSizes.of(c).entrySet()) {
                assertTrue(m.getValue() < MethodSizes.HUGE_METHOD_LIMIT,
                        c.getSimpleName() + "." + m.getKey() + " has " + m.getValue() + " bytes of bytecode (HotSpot compiles none over 8000)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void matchesTheGenericEngineStepsEqualForwardAndSnapshotsChangeNothing(LinearAttentionProvider p) {
        AttentionSpec spec = p.spec();
        int d = spec.width();
        int tokens = 96;
        float[] xs = stream(tokens, d, 3.0);
        AttentionWeights w = AttentionWeights.seeded(spec);
        double tol = spec.precision() == dev.unroll.annotations.Precision.F64 ? 1e-12 : 1e-5;
        // a layer with compact projections computes the function of the values its format stores
        GenericLinearAttention ref = new GenericLinearAttention(p.weights() == WeightFormat.F32 ? w : w.storedAs(p.weights()));
        float[] expected = new float[tokens * d];
        ref.forward(ref.newState(), xs, tokens, expected);
        for (Flavour f : Tolerance.flavours()) {
            LinearAttentionLayer layer = p.create(w, f);
            // token by token, snapshotting and restoring at the midpoint through the serialised form
            AttentionState s = layer.newState();
            float[] steps = new float[tokens * d];
            float[] y = new float[d];
            AttentionState saved = null;
            for (int t = 0; t < tokens; t++) {
                if (t == tokens / 2) {
                    saved = AttentionState.fromBytes(s.toBytes());
                    layer.step(s, slice(xs, t * d, d), y); // a detour the restore must erase
                    layer.step(s, slice(xs, 0, d), y);
                    s.restore(saved);
                }
                layer.step(s, slice(xs, t * d, d), y);
                System.arraycopy(y, 0, steps, t * d, d);
            }
            Tolerance.assertScaled(Tolerance.widen(expected), Tolerance.widen(steps), tol, spec.describe() + " " + f + " steps vs generic engine");
            AttentionState fs = layer.newState();
            float[] seq = new float[tokens * d];
            layer.forward(fs, xs, tokens, seq);
            Tolerance.assertScaled(Tolerance.widen(steps), Tolerance.widen(seq), tol, spec.describe() + " " + f + " forward vs steps");
            assertArrayEquals(s.values(), fs.values(), tol * 10, "same final state");
            assertEquals(s.levelMask(), fs.levelMask());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void batchesEqualSeparateStreams(LinearAttentionProvider p) {
        AttentionSpec spec = p.spec();
        int d = spec.width();
        int streams = 5;
        int tokens = 24;
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(spec));
        float[][] xs = new float[streams][];
        float[][] ys = new float[streams][tokens * d];
        AttentionState[] states = new AttentionState[streams];
        for (int i = 0; i < streams; i++) {
            xs[i] = stream(tokens, d, 1 + i);
            states[i] = layer.newState();
        }
        layer.forwardBatch(states, xs, tokens, ys);
        for (int i = 0; i < streams; i++) {
            float[] alone = new float[tokens * d];
            AttentionState s = layer.newState();
            layer.forward(s, xs[i], tokens, alone);
            assertArrayEquals(alone, ys[i], "stream " + i);
            assertArrayEquals(s.values(), states[i].values(), 0.0);
        }
    }

    /** A layer is shared: threads each stepping their own stream at once get what lone streams get. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void oneLayerServesConcurrentStreams(LinearAttentionProvider p) throws Exception {
        AttentionSpec spec = p.spec();
        int d = spec.width();
        int tokens = 64;
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(spec));
        float[] xs = stream(tokens, d, 1.5);
        Callable<float[]> byStep = () -> {
            AttentionState s = layer.newState();
            float[] ys = new float[tokens * d];
            float[] y = new float[d];
            for (int t = 0; t < tokens; t++) {
                layer.step(s, slice(xs, t * d, d), y);
                System.arraycopy(y, 0, ys, t * d, d);
            }
            return ys;
        };
        float[] alone = byStep.call();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(byStep));
            }
            for (Future<float[]> r : runs) {
                assertArrayEquals(alone, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static boolean anyMatch(KernelProvider<?, ?, ?> p, String name) {
        return p.generatedClass().contains(name);
    }
}

package dev.unroll.examples.trm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.cli.inspect.MethodSizes;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated TRMs (both mixers, both prefixes, one and two halting outputs) equal the generic
 * engine; the ACT loop halts as specified; bad weights and tokens are named errors. Tolerance: 1e-4
 * scaled error after a whole supervision step at f32 (several network calls of unequal summation
 * order; observed about 1e-6).
 */
class GeneratedTrmPropertiesTest {
    static Stream<TrmProvider> models() {
        return KernelRegistry.all().stream().filter(p -> p instanceof TrmProvider).map(p -> (TrmProvider) p);
    }

    static Stream<TrmProvider> tiny() {
        return models().filter(p -> p.spec().hidden() <= 64);
    }

    static int[] tokens(TrmSpec s, int batch, int salt) {
        int[] t = new int[batch * s.context()];
        for (int i = 0; i < t.length; i++) {
            t[i] = (i * 7 + salt * 3 + i / 5) % s.vocab();
        }
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiny")
    void stepsEqualTheGenericEngineInBothFlavours(TrmProvider p) {
        TrmSpec s = p.spec();
        TrmWeights w = TrmWeights.seeded(s);
        // a model with compact projections computes the function of the values its format stores
        GenericTrm ref = new GenericTrm(p.weights() == WeightFormat.F32 ? w : w.storedAs(p.weights()));
        int batch = 3;
        int[] tok = tokens(s, batch, 1);
        TrmCarry rc = ref.initialCarry(batch);
        TrmStep r1 = ref.step(tok, rc);
        TrmStep r2 = ref.step(tok, rc);
        for (Flavour f : Tolerance.flavours()) {
            TrmModel m = p.create(w, f);
            TrmCarry c = m.initialCarry(batch);
            TrmStep s1 = m.step(tok, c);
            TrmStep s2 = m.step(tok, c);
            Tolerance.assertScaled(Tolerance.widen(r1.logits()), Tolerance.widen(s1.logits()), 1e-4, s + " " + f + " logits, step 1");
            Tolerance.assertScaled(Tolerance.widen(r2.logits()), Tolerance.widen(s2.logits()), 1e-4, s + " " + f + " logits, step 2");
            Tolerance.assertScaled(Tolerance.widen(r2.halt()), Tolerance.widen(s2.halt()), 1e-4, s + " " + f + " halt");
            Tolerance.assertScaled(Tolerance.widen(rc.y()), Tolerance.widen(c.y()), 1e-4, s + " " + f + " carried y");
            Tolerance.assertScaled(Tolerance.widen(rc.z()), Tolerance.widen(c.z()), 1e-4, s + " " + f + " carried z");
        }
    }

    /**
     * The Q head on a given y equals how a step ends, and the per-layer outputs equal the generic
     * engine's, the last one being the network's output (both flavours).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tiny")
    void headsOnAGivenYAndPerLayerOutputsMatch(TrmProvider p) {
        TrmSpec s = p.spec();
        TrmWeights w = TrmWeights.seeded(s);
        // a model with compact projections computes the function of the values its format stores
        GenericTrm ref = new GenericTrm(p.weights() == WeightFormat.F32 ? w : w.storedAs(p.weights()));
        int batch = 2;
        int n = batch * s.sequence() * s.hidden();
        float[] in = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = (float) Math.sin(0.013 * i);
        }
        List<float[]> refLayers = new java.util.ArrayList<>();
        ref.network(in, batch, new float[n], (l, hs) -> refLayers.add(hs.clone()));
        assertEquals(s.layers(), refLayers.size());
        for (Flavour f : Tolerance.flavours()) {
            TrmModel m = p.create(w, f);
            TrmCarry c = m.initialCarry(batch);
            TrmStep step = m.step(tokens(s, batch, 2), c);
            TrmStep again = m.heads(c.y(), batch);
            assertArrayEquals(step.logits(), again.logits(), s + " " + f + " logits from heads(y)");
            assertArrayEquals(step.halt(), again.halt(), s + " " + f + " halt from heads(y)");
            Tolerance.assertScaled(Tolerance.widen(ref.heads(c.y(), batch).halt()), Tolerance.widen(again.halt()), 1e-4, s + " " + f + " Q head");
            List<float[]> layers = new java.util.ArrayList<>();
            float[] out = new float[n];
            m.network(in, batch, out, (l, hs) -> layers.add(hs.clone()));
            assertEquals(s.layers(), layers.size());
            for (int l = 0; l < layers.size(); l++) {
                Tolerance.assertScaled(Tolerance.widen(refLayers.get(l)), Tolerance.widen(layers.get(l)), 1e-4, s + " " + f + " layer " + l);
            }
            assertArrayEquals(layers.get(layers.size() - 1), out, "the last layer's output is the network's");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiny")
    void actRunsAllStepsInLockStepAndHaltsOnAPositiveLogit(TrmProvider p) {
        TrmSpec s = p.spec();
        int batch = 4;
        int[] tok = tokens(s, batch, 2);
        TrmModel never = p.create(TrmWeights.seeded(s));
        TrmResult lock = never.solve(tok, batch, true);
        TrmResult act = never.solve(tok, batch, false);
        for (int b = 0; b < batch; b++) {
            assertEquals(s.maxSupervisionSteps(), lock.steps()[b], "lock-step runs every step");
            assertEquals(s.maxSupervisionSteps(), act.steps()[b], "a halting logit of -5 never halts");
            assertEquals(-5f, act.halt()[b * s.haltOutputs()], 1e-6, "zero Q weight: the bias");
        }
        assertArrayEquals(lock.predictions(), act.predictions());

        // the same model whose halting bias is +1 for puzzles... all halt after one step
        TrmModel eager = p.create(withHaltBias(TrmWeights.seeded(s), 1f));
        TrmResult once = eager.solve(tok, batch, false);
        TrmResult all = eager.solve(tok, batch, true);
        for (int b = 0; b < batch; b++) {
            assertEquals(1, once.steps()[b], "a positive halting logit stops after the first step");
            assertEquals(s.maxSupervisionSteps(), all.steps()[b], "lock-step ignores halting");
        }
        // predictions after one step equal the argmax of one step
        TrmStep first = eager.step(tok, eager.initialCarry(batch));
        for (int i = 0; i < batch * s.context(); i++) {
            int best = 0;
            for (int v = 1; v < s.vocab(); v++) {
                if (first.logits()[i * s.vocab() + v] > first.logits()[i * s.vocab() + best]) {
                    best = v;
                }
            }
            assertEquals(best, once.predictions()[i], "prediction " + i);
        }
    }

    static TrmWeights withHaltBias(TrmWeights w, float bias) {
        Map<String, TensorSource.Array> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : TrmWeights.shapes(w.spec()).entrySet()) {
            float[] a = w.get(e.getKey()).clone();
            if (e.getKey().equals("q_head.proj.bias")) {
                java.util.Arrays.fill(a, bias);
            }
            m.put(e.getKey(), new TensorSource.Array(e.getValue(), Tolerance.widen(a)));
        }
        return TrmWeights.load(w.spec(), TensorSource.of("test", m));
    }

    @Test
    void wrongWeightsAndTokensAreNamedErrors() {
        TrmSpec s = TinyTrms_MixerModel.SPEC;
        TrmWeights w = TrmWeights.seeded(s);
        Map<String, TensorSource.Array> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : TrmWeights.shapes(s).entrySet()) {
            m.put(e.getKey(), new TensorSource.Array(e.getValue(), Tolerance.widen(w.get(e.getKey()))));
        }
        m.put("network.layers.0.mlp.down_proj.weight", new TensorSource.Array(new long[] {48, 128}, new double[48 * 128]));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> TrmWeights.load(s, TensorSource.of("test", m)));
        assertTrue(e.getMessage().startsWith("test (as @TinyRecursiveModel(hidden = 48,")
                && e.getMessage().endsWith("): 'network.layers.0.mlp.down_proj.weight': expected shape [48, 256], got [48, 128]"), e.getMessage());
        m.remove("network.layers.0.mlp.down_proj.weight");
        UnrollException missing = assertThrows(UnrollException.class, () -> TrmWeights.load(s, TensorSource.of("test", m)));
        assertTrue(missing.getMessage().contains("missing tensor network.layers.0.mlp.down_proj.weight[48, 256]"), missing.getMessage());

        TrmModel model = TinyTrms_MixerModel.seeded();
        int[] bad = tokens(s, 1, 0);
        bad[4] = 9;
        UnrollException t = assertThrows(UnrollException.class, () -> model.solve(bad, 1, false));
        assertTrue(t.getMessage().contains("tokens[0][4] = 9 is outside the vocabulary [0, 5)"), t.getMessage());
        assertThrows(ShapeMismatchException.class, () -> model.embed(new int[5], 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyGeneratedMethodStaysUnderTheJitLimit(KernelProvider<?, ?, ?> p) throws Exception {
        String base = p.generatedClass().substring(0, p.generatedClass().length() - "Model".length());
        for (String suffix : List.of("Kernels", "SimdKernels", "Model")) {
            Class<?> c = Class.forName(base + suffix);
            for (Map.Entry<String, Integer> m : MethodSizes.of(c).entrySet()) {
                assertTrue(m.getValue() < MethodSizes.HUGE_METHOD_LIMIT, c.getSimpleName() + "." + m.getKey() + ": " + m.getValue() + " bytes");
            }
        }
    }

    @Test
    void generatedForTheSeedModelAndRegistered() {
        assertEquals(dev.unroll.runtime.trm.TrmGolden.SPEC, SudokuTrmModel.SPEC);
        assertEquals(256, SudokuTrmKernels.MIX_I, "round(4 * 82 * 2 / 3) = 219, rounded up to 256");
        assertEquals(1536, SudokuTrmKernels.MLP_I, "round(4 * 512 * 2 / 3) = 1365, rounded up to 1536");
        assertEquals(18.96, SudokuTrmModel.SPEC.flopsPerStep() / 1e9, 0.005, "the issue's count");
        assertTrue(dev.unroll.runtime.registry.KernelRegistry.trm(dev.unroll.runtime.trm.TrmGolden.SPEC).isPresent());
    }

    /** A model is shared: threads stepping their own carries at once get what lone steps get. */
    @Test
    void oneModelServesConcurrentCallers() throws Exception {
        TrmProvider p = KernelRegistry.all().stream().filter(k -> k instanceof TrmProvider).map(k -> (TrmProvider) k)
                .filter(k -> k.spec().hidden() <= 64).findFirst().orElseThrow();
        TrmModel m = p.create(TrmWeights.seeded(p.spec()));
        int ctx = p.spec().context();
        int[][] tokens = new int[6][ctx];
        float[][] alone = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            for (int j = 0; j < ctx; j++) {
                tokens[i][j] = (i * 7 + j * 3) % p.spec().vocab();
            }
            TrmCarry c = m.initialCarry(1);
            m.step(tokens[i], c);
            alone[i] = m.step(tokens[i], c).logits();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<float[]>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < tokens.length; i++) {
                int[] t = tokens[i];
                runs.add(pool.submit(() -> {
                    TrmCarry c = m.initialCarry(1);
                    m.step(t, c);
                    return m.step(t, c).logits();
                }));
            }
            for (int i = 0; i < tokens.length; i++) {
                assertArrayEquals(alone[i], runs.get(i).get(), "puzzle " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

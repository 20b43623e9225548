package dev.unroll.runtime.trm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.weights.TensorSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints under the official TinyRecursiveModels names, run by the generic engine, against the
 * float64 forward of the official equations ({@code bench/trm/official-reference.py}): logits and the
 * halt and continue Q logits after each of 3 supervision steps, to 1e-4 absolute (values up to 2.6;
 * the reference's own float32 run is within 3.2e-6 of float64). And every refusal, by the option.
 */
class OfficialTrmCheckpointTest {
    /** Absolute bound on logits and Q logits (values up to 2.6). */
    static final double TOLERANCE = 1e-4;

    static OfficialTrmFixture[] fixtures() {
        return new OfficialTrmFixture[] {OfficialTrmFixture.ATTENTION, OfficialTrmFixture.PADDED};
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void genericEngineMatchesTheOfficialForward(OfficialTrmFixture f) {
        OfficialTrmFixture.Expected e = f.expected();
        TrmStep[] steps = OfficialTrmFixture.run(new GenericTrm(f.weights()), e.tokens());
        for (int s = 0; s < OfficialTrmFixture.STEPS; s++) {
            double logits = Tolerance.maxAbs(e.logits()[s], steps[s].logits());
            double q = Tolerance.maxAbs(e.q()[s], steps[s].halt());
            System.out.printf(Locale.ROOT, "[Unroll tests] official TRM %s step %d: max abs error logits %.2e, q %.2e (bf16 forward vs f64: %.2e)%n", f, s + 1,
                    logits, q, Tolerance.maxAbs(e.logits()[s], e.bf16Logits()[s]));
            assertTrue(logits <= TOLERANCE, f + " step " + (s + 1) + " logits: " + logits);
            assertTrue(q <= TOLERANCE, f + " step " + (s + 1) + " q: " + q);
        }
    }

    @Test
    void specFromShapesAndSettings() {
        TrmSpec a = OfficialTrmFixture.ATTENTION.spec();
        assertEquals(TrmSpec.builder().set(TrmSpec.HIDDEN, 64).set(TrmSpec.CONTEXT, 12).set(TrmSpec.VOCAB, 6).set(TrmSpec.LAYERS, 2)
                .set(TrmSpec.LATENT_STEPS, 2).set(TrmSpec.CYCLES, 2).set(TrmSpec.PREFIX, 16).set(TrmSpec.MIXER, TokenMixer.ATTENTION)
                .set(TrmSpec.HEADS, 4).set(TrmSpec.HALT_OUTPUTS, 2).set(TrmSpec.MAX_SUPERVISION_STEPS, 4).build(), a);
        TrmSpec m = OfficialTrmFixture.PADDED.spec();
        assertEquals(9, m.context());
        assertEquals(2, m.prefix(), "puzzle_emb_len 0: ceil(puzzle_emb_ndim 40 / hidden 32)");
        assertEquals(3, m.latentSteps());
        assertEquals(1, m.layers());
    }

    @Test
    void theQHeadsHaltRowServesOneHaltOutput() {
        OfficialTrmFixture f = OfficialTrmFixture.PADDED;
        TrmSpec one = respec(f.spec(), b -> b.set(TrmSpec.HALT_OUTPUTS, 1));
        TrmWeights w = OfficialTrmCheckpoint.load(one, f.checkpoint());
        float[] both = f.weights().get("q_head.proj.weight");
        assertArrayEquals(java.util.Arrays.copyOf(both, one.hidden()), w.get("q_head.proj.weight"));
        assertEquals(f.weights().get("q_head.proj.bias")[0], w.get("q_head.proj.bias")[0]);
    }

    @Test
    void thePrefixIsThePuzzlesRowZeroPadded() {
        OfficialTrmFixture f = OfficialTrmFixture.PADDED;
        float[] table = f.checkpoint().floats("model.inner.puzzle_emb.weights");
        float[] prefix = f.weights().get("input_embedding.summary_token");
        assertEquals(2 * 32, prefix.length);
        for (int i = 0; i < prefix.length; i++) {
            assertEquals(i < 40 ? table[i] : 0f, prefix[i], "prefix element " + i);
        }
    }

    /** The fuzz target's seed reaches the end of the target: described, loaded, a step run. */
    @Test
    void theFuzzSeedLoadsAndRuns() throws Exception {
        java.nio.file.Path seed = java.nio.file.Path.of(getClass().getResource("/dev/unroll/runtime/fuzz/OfficialTrmFuzzTestInputs/checkpoint/tiny-bf16.safetensors").toURI());
        try (dev.unroll.runtime.safetensors.SafetensorsFile f = dev.unroll.runtime.safetensors.SafetensorsFile.open(seed)) {
            TrmSpec spec = OfficialTrmArch.spec(TensorSource.of(f), OfficialTrmFixture.SEED_ARCH);
            assertEquals(8, spec.hidden());
            assertEquals(5, spec.sequence());
            GenericTrm m = new GenericTrm(OfficialTrmCheckpoint.load(spec, TensorSource.of(f)));
            assertEquals(2, m.step(new int[4], m.initialCarry(1)).halt().length);
        }
    }

    @Test
    void detectsTheOfficialNames() {
        assertTrue(OfficialTrmCheckpoint.isOfficial(OfficialTrmFixture.ATTENTION.checkpoint()));
        assertFalse(OfficialTrmCheckpoint.isOfficial(TensorSource.of("x", Map.of())));
    }

    @Test
    void missingExtraAndMisshapenTensorsAreNamed() {
        OfficialTrmFixture f = OfficialTrmFixture.ATTENTION;
        TrmSpec spec = f.spec();
        String p = "_orig_mod.model.inner.";
        String missing = refusal(spec, f.edited(m -> without(m, p + "L_level.layers.1.mlp.down_proj.weight")));
        assertTrue(missing.contains("missing _orig_mod.model.inner.L_level.layers.1.mlp.down_proj.weight[64, 256]"), missing);
        String extra = refusal(spec, f.edited(m -> with(m, p + "rotary_emb.cos_cached", new long[] {28, 16})));
        assertTrue(extra.contains("unexpected _orig_mod.model.inner.rotary_emb.cos_cached[28, 16]"), extra);
        String stray = refusal(spec, f.edited(m -> with(m, "model.inner.lm_head.weight", new long[] {6, 64})));
        assertTrue(stray.contains("unexpected model.inner.lm_head.weight[6, 64]"), stray);
        String shape = refusal(spec, f.edited(m -> with(m, p + "L_level.layers.0.self_attn.o_proj.weight", new long[] {64, 32})));
        assertTrue(shape.contains("L_level.layers.0.self_attn.o_proj.weight has shape [64, 32], expected [64, 64] = [hidden_size, hidden_size]"), shape);
        String table = refusal(spec, f.edited(m -> with(m, p + "puzzle_emb.weights", new long[] {3, 16 * 64 + 1})));
        assertTrue(table.contains("puzzle_emb_ndim <= puzzle_emb_len * hidden_size = 16 * 64"), table);
        String id = assertThrows(UnrollException.class, () -> OfficialTrmCheckpoint.load(spec, f.checkpoint(), 3)).getMessage();
        assertTrue(id.contains("puzzle identifier 3 is not a row of _orig_mod.model.inner.puzzle_emb.weights [3, 64]"), id);
    }

    @Test
    void unsupportedArchitecturesAreRefusedByTheirOption() {
        OfficialTrmFixture f = OfficialTrmFixture.ATTENTION;
        TrmSpec spec = f.spec();
        String p = "_orig_mod.model.inner.";
        assertTrue(refusal(spec, f.edited(m -> with(m, p + "embed_pos.embedding_weight", new long[] {28, 64}))).contains("pos_encodings = learned"));
        assertTrue(refusal(spec, f.edited(m -> without(m, p + "puzzle_emb.weights"))).contains("puzzle_emb_ndim = 0"));
        assertTrue(refusal(spec, f.edited(m -> with(m, p + "H_level.layers.0.mlp.down_proj.weight", new long[] {64, 256}))).contains("HRM"));
        assertTrue(refusal(spec, f.edited(m -> with(m, p + "L1_init", new long[] {64}))).contains("trm_hier6"));
        assertTrue(refusal(spec, f.edited(m -> without(m, p + "H_init"))).contains("trm_singlez"));
        String mixer = refusal(TrmSpec.builder().set(TrmSpec.HIDDEN, 64).set(TrmSpec.CONTEXT, 12).set(TrmSpec.VOCAB, 6).build(), f.checkpoint());
        assertTrue(mixer.contains("mixer = MLP: an official checkpoint with mlp_t = False runs with mixer = ATTENTION"), mixer);
        TensorSource mlpT = f.edited(m -> with(m, p + "L_level.layers.0.mlp_t.gate_up_proj.weight", new long[] {512, 28}));
        String refused = refusal(spec, mlpT);
        assertTrue(refused.contains("mlp_t = True") && refused.contains("normalises the token mixer's residual over the sequence"), refused);
        String arch = assertThrows(UnrollException.class, () -> OfficialTrmArch.spec(mlpT, f.arch)).getMessage();
        assertTrue(arch.contains("mlp_t = True"), arch);
        String names = refusal(spec, TensorSource.of("x", Map.of("weight", new TensorSource.Array(new long[] {1}, new double[] {1}))));
        assertTrue(names.contains("not a TinyRecursiveModels state_dict: no lm_head.weight"), names);
    }

    @Test
    void settingsAreCheckedByName() {
        OfficialTrmFixture f = OfficialTrmFixture.ATTENTION;
        assertTrue(arch(f, "hidden_size", "128").contains("arch.hidden_size=128 contradicts the checkpoint"));
        assertTrue(arch(f, "mlp_t", "True").contains("arch.mlp_t=True contradicts the checkpoint"));
        assertTrue(arch(f, "pos_encodings", "none").contains("arch.pos_encodings=none with attention"));
        assertTrue(arch(f, "pos_encodings", "learned").contains("learned positions are not supported"));
        assertTrue(arch(f, "L_cycles", "zero").contains("arch.L_cycles=zero: must be an integer >= 1"));
        assertTrue(arch(f, "cycles", "3").contains("arch.cycles: not a setting of trm.py's config"));
        String seq = assertThrows(UnrollException.class, () -> OfficialTrmArch.spec(f.checkpoint(), Map.of())).getMessage();
        assertTrue(seq.contains("arch.seq_len: not in an attention checkpoint's shapes"), seq);
        assertEquals(f.spec(), OfficialTrmArch.spec(f.checkpoint(), prefixed(f.arch)), "arch.-prefixed keys, as on pretrain.py's command line");
    }

    private static String arch(OfficialTrmFixture f, String key, String value) {
        Map<String, String> m = new HashMap<>(f.arch);
        m.put(key, value);
        return assertThrows(UnrollException.class, () -> OfficialTrmArch.spec(f.checkpoint(), m)).getMessage();
    }

    private static Map<String, String> prefixed(Map<String, String> arch) {
        Map<String, String> m = new HashMap<>();
        arch.forEach((k, v) -> m.put("arch." + k, v));
        return m;
    }

    private static String refusal(TrmSpec spec, TensorSource source) {
        return assertThrows(UnrollException.class, () -> OfficialTrmCheckpoint.load(spec, source)).getMessage();
    }

    private static TrmSpec respec(TrmSpec spec, Function<TrmSpec.Builder, TrmSpec.Builder> change) {
        TrmSpec.Builder b = TrmSpec.builder();
        for (var p : TrmSpec.PARAMETERS) {
            b.setRaw(p, spec.get(p));
        }
        return change.apply(b).build();
    }

    private static Map<String, TensorSource.Array> without(Map<String, TensorSource.Array> m, String name) {
        assertTrue(m.containsKey(name), name);
        Map<String, TensorSource.Array> c = new LinkedHashMap<>(m);
        c.remove(name);
        return c;
    }

    private static Map<String, TensorSource.Array> with(Map<String, TensorSource.Array> m, String name, long[] shape) {
        Map<String, TensorSource.Array> c = new LinkedHashMap<>(m);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        c.put(name, new TensorSource.Array(shape, new double[(int) n]));
        return c;
    }
}

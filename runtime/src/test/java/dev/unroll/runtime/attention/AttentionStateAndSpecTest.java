package dev.unroll.runtime.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.mode.DeltaProductMode;
import dev.unroll.runtime.attention.mode.GatedDeltaNetMode;
import dev.unroll.runtime.attention.mode.LogLinearMode;
import dev.unroll.runtime.attention.mode.RetNetMode;
import dev.unroll.runtime.codegen.FusedWeights;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.InvalidDescriptorException;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttentionStateAndSpecTest {
    final AttentionSpec spec = AttentionSpec.builder(AttentionMode.LOG_LINEAR, 16)
            .set(LogLinearMode.INNER, AttentionMode.GLA).set(LogLinearMode.MAX_LEVELS, 6).build();

    @Test
    void specsResolveDefaultsAndKeepOnlyTheModesParameters() {
        AttentionSpec a = AttentionSpec.builder(AttentionMode.GLA, 16).build();
        assertEquals(4, a.keyWidth());
        assertEquals(Map.of(), a.parameters().asMap(), "GLA has no parameters");
        assertEquals(1.0 / 6, spec.get(LogLinearMode.LAMBDA_INIT), "lambdaInit defaults to 1 / maxLevels");
        AttentionSpec pt = AttentionSpec.builder(AttentionMode.GATED_DELTA_NET, 16).set(GatedDeltaNetMode.BETA_MODE, BetaMode.PER_TOKEN).build();
        assertEquals(Map.of("betaMode", BetaMode.PER_TOKEN), pt.parameters().asMap(), "per-token beta keeps no betaScale");
        AttentionSpec st = AttentionSpec.builder(AttentionMode.GATED_DELTA_NET, 16).set(GatedDeltaNetMode.BETA_SCALE, 1.0).build();
        assertEquals(AttentionSpec.builder(AttentionMode.GATED_DELTA_NET, 16).build(), st, "an explicit default is the default");
    }

    @Test
    void parametersThatDoNotApplyAreErrorsAtRunTimeToo() {
        InvalidDescriptorException foreign = assertThrows(InvalidDescriptorException.class,
                () -> AttentionSpec.builder(AttentionMode.GLA, 16).set(RetNetMode.GAMMA, 0.5).build());
        assertEquals("[Unroll/ParameterNotUsed] gamma is set to 0.5 but mode GLA does not use it (it belongs to RETNET)", foreign.getMessage());
        InvalidDescriptorException ignored = assertThrows(InvalidDescriptorException.class,
                () -> AttentionSpec.builder(AttentionMode.GATED_DELTA_NET, 16).set(GatedDeltaNetMode.BETA_MODE, BetaMode.PER_TOKEN)
                        .set(GatedDeltaNetMode.BETA_SCALE, 0.3).build());
        assertTrue(ignored.getMessage().startsWith("[Unroll/ParameterNotUsed] betaScale is set to 0.3 but GATED_DELTA_NET with betaMode = PER_TOKEN"),
                ignored.getMessage());
        UnrollException unknown = assertThrows(UnrollException.class,
                () -> AttentionSpec.builder(AttentionMode.GLA, 16).parameter("gama", 0.5));
        assertTrue(unknown.getMessage().startsWith("no attention mode has a parameter named \"gama\" (they are [gamma, "), unknown.getMessage());
        UnrollException type = assertThrows(UnrollException.class,
                () -> AttentionSpec.builder(AttentionMode.RETNET, 16).parameter("gamma", "high"));
        assertEquals("parameter gamma expects double, got high", type.getMessage());
    }

    @Test
    void specJsonRoundTrips() {
        for (AttentionSpec s : new AttentionSpec[] {spec,
                AttentionSpec.builder(AttentionMode.DELTA_PRODUCT, 32).heads(2).set(DeltaProductMode.COMPOSITIONS, 3)
                        .set(DeltaProductMode.REFLECTIONS, true).precision(Precision.F64).build(),
                AttentionSpec.builder(AttentionMode.RETNET, 8).heads(2).set(RetNetMode.GAMMA, 0.5).seed(-7).build()}) {
            assertEquals(s, AttentionSpec.fromJson(Json.parseObject(Json.write(s.toJson()))));
        }
    }

    @Test
    void runTimeBuildersEnforceTheCompileTimeRules() {
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class,
                () -> AttentionSpec.builder(AttentionMode.RETNET, 18).heads(4).seed(0).set(RetNetMode.GAMMA, 1.5).build());
        assertEquals(3, e.violations().size());
        assertTrue(e.getMessage().startsWith("[Unroll/HeadsNotDivisor] width (18) must be divisible by heads (4)"), e.getMessage());
        assertTrue(e.getMessage().contains("[Unroll/OutOfRange] gamma (1.5) must be in (0, 1)"), e.getMessage());
    }

    @Test
    void snapshotRestoreAndBytesRoundTripExactly() {
        AttentionState s = new AttentionState(spec);
        double[] values = new double[spec.stateSize()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i) * 1e-3;
        }
        s.setValues(values);
        s.meta()[0] = 37;
        s.meta()[1] = 0b100101;
        AttentionState snap = s.snapshot();
        s.reset();
        assertEquals(0, s.tokens());
        s.restore(snap);
        assertArrayEquals(snap.values(), s.values(), 0.0);
        AttentionState back = AttentionState.fromBytes(s.toBytes());
        assertEquals(spec, back.spec());
        assertEquals(37, back.tokens());
        assertEquals(0b100101, back.levelMask());
        assertArrayEquals(s.f32(), back.f32());
        assertArrayEquals(s.toBytes(), back.toBytes(), "the serialised form is stable");
    }

    @Test
    void corruptSerialisedStatesAreRejected() {
        byte[] good = new AttentionState(spec).toBytes();
        assertThrows(UnrollException.class, () -> AttentionState.fromBytes(Arrays.copyOf(good, good.length - 1)));
        byte[] bad = good.clone();
        bad[0] = 'X';
        assertThrows(UnrollException.class, () -> AttentionState.fromBytes(bad));
        assertThrows(UnrollException.class, () -> AttentionState.fromBytes(Arrays.copyOf(good, good.length + 4)));
    }

    @Test
    void stateOfAnotherLayerIsRefused() {
        GenericLinearAttention engine = GenericLinearAttention.seeded(spec);
        AttentionState other = new AttentionState(AttentionSpec.builder(AttentionMode.GLA, 16).build());
        UnrollException e = assertThrows(UnrollException.class, () -> engine.step(other, new double[16], new double[16]));
        assertTrue(e.getMessage().contains("state belongs to"), e.getMessage());
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class, () -> engine.step(engine.newState(), new double[15], new double[16]));
        assertEquals("'x': expected shape [16], got [15]", s.getMessage());
    }

    @Test
    void weightLoadingNamesMissingExtraAndMisshapenTensors() {
        AttentionSpec gla = AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).build();
        AttentionWeights seeded = AttentionWeights.seeded(gla);
        Map<String, TensorSource.Array> m = new LinkedHashMap<>();
        for (WeightTensor t : WeightLayout.of(gla)) {
            m.put(t.name(), new TensorSource.Array(t.longShape(), seeded.get(t.name())));
        }
        m.remove("heads.1.w_gate");
        m.put("heads.0.w_extra", new TensorSource.Array(new long[] {8}, new double[8]));
        UnrollException e = assertThrows(UnrollException.class, () -> AttentionWeights.load(gla, TensorSource.of("test", m)));
        assertTrue(e.getMessage().contains("missing tensor heads.1.w_gate[8]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected tensor heads.0.w_extra[8]"), e.getMessage());
        m.remove("heads.0.w_extra");
        m.put("heads.1.w_gate", new TensorSource.Array(new long[] {4, 2}, new double[8]));
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class, () -> AttentionWeights.load(gla, TensorSource.of("test", m)));
        assertTrue(s.getMessage().startsWith("test (as @LinearAttention(mode = GLA, width = 8, "), s.getMessage());
        assertTrue(s.getMessage().endsWith("): 'heads.1.w_gate': expected shape [8], got [4, 2]"), s.getMessage());
    }

    @Test
    void logLinearMaskMatchesACounter() {
        assertEquals(0b1011, FusedWeights.advanceMask(0, 6, 11));
        assertEquals(0b100000, FusedWeights.advanceMask(0, 6, 64), "2^6 tokens overflow: everything folds into level 5");
        assertNotEquals(0, FusedWeights.advanceMask(0b111111, 6, 1));
    }
}

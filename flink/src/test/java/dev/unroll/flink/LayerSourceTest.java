package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * The kernel flavour is a property of the job: chosen once where the job is built, carried by the
 * layer source, and a TaskManager that cannot run it fails the task or, if the job says so, runs
 * scalar with a warning. Never a silent switch.
 */
class LayerSourceTest {
    static final LayerSource EXAMPLE = LayerSource.seeded(SensorFeaturesLayer.SPEC);

    @Test
    void aJobRunsSimdWhereItsKernelHasItWhateverTheBuildingJvm() {
        assertEquals(Flavour.SIMD, EXAMPLE.flavour());
        assertEquals(IfFlavourUnavailable.FAIL, EXAMPLE.ifFlavourUnavailable());
        // no generated kernel for this descriptor: the generic engine, and the scalar flavour on record
        assertEquals(Flavour.SCALAR, LayerSource.seeded(AttentionStateSerializerTest.GLA).flavour());
        TaskLayer generic = LayerSource.seeded(AttentionStateSerializerTest.GLA).taskLayer();
        assertNull(generic.flavour());
        assertTrue(generic.layer().implementation().contains("generic"), generic.layer().implementation());
    }

    @Test
    void theFlavourPropertyOfTheBuildingJvmDecidesWhenSet() {
        try {
            System.setProperty(Flavour.PROPERTY, "scalar");
            assertEquals(Flavour.SCALAR, LayerSource.seeded(SensorFeaturesLayer.SPEC).flavour());
            System.setProperty(Flavour.PROPERTY, "vector");
            UnrollException e = assertThrows(UnrollException.class, () -> LayerSource.seeded(SensorFeaturesLayer.SPEC));
            assertEquals("-Dunroll.flavour=vector: expected scalar or simd", e.getMessage());
        } finally {
            System.clearProperty(Flavour.PROPERTY);
        }
    }

    @Test
    void theFlavourAndTheChoiceTravelWithTheJobGraph() throws Exception {
        LayerSource s = EXAMPLE.withFlavour(Flavour.SCALAR).ifFlavourUnavailable(IfFlavourUnavailable.WARN);
        LayerSource back = InstantiationUtil.clone(s);
        assertEquals(Flavour.SCALAR, back.flavour());
        assertEquals(IfFlavourUnavailable.WARN, back.ifFlavourUnavailable());
        assertEquals(SensorFeaturesLayer.SPEC, back.spec());
        assertTrue(back.layer().implementation().contains("(scalar"), back.layer().implementation());
    }

    @Test
    void aTaskThatCannotRunTheJobsFlavourFailsOrWarnsAsTheJobAsks() {
        UnrollException e = assertThrows(UnrollException.class, () -> EXAMPLE.taskLayer(false));
        assertTrue(e.getMessage().startsWith("the job's SIMD flavour cannot run here: jdk.incubator.vector is not present in this JVM (start it with "
                + "--add-modules jdk.incubator.vector"), e.getMessage());

        TaskLayer warned = EXAMPLE.ifFlavourUnavailable(IfFlavourUnavailable.WARN).taskLayer(false);
        assertEquals(Flavour.SCALAR, warned.flavour());
        assertTrue(warned.warning().contains("running the scalar flavour"), warned.warning());
        // it computes what the scalar flavour computes
        assertArrayEquals(run(EXAMPLE.withFlavour(Flavour.SCALAR).layer()), run(warned.layer()));

        TaskLayer able = EXAMPLE.taskLayer(true);
        assertEquals(Flavour.SIMD, able.flavour());
        assertNull(able.warning());
    }

    /** The real thing: a JVM without jdk.incubator.vector. */
    @Test
    void aJvmWithoutTheVectorModuleFailsTheTaskOrRunsScalarWithAWarning() throws Exception {
        Fork.Result fail = Fork.run(List.of(), FlavourProbe.class, "FAIL");
        assertEquals(0, fail.exit(), fail.output());
        assertTrue(fail.output().contains("job flavour SIMD\nfails: the job's SIMD flavour cannot run here: jdk.incubator.vector is not present"),
                fail.output());
        Fork.Result warn = Fork.run(List.of(), FlavourProbe.class, "WARN");
        assertTrue(warn.output().contains("runs generated SensorFeaturesLayer (scalar (jdk.incubator.vector not present), F32); warning: the job's "
                + "SIMD flavour cannot run here"), warn.output());
    }

    private static float[] run(LinearAttentionLayer layer) {
        AttentionState s = layer.newState();
        float[] x = new float[layer.spec().width()];
        float[] y = new float[x.length];
        for (int t = 0; t < 20; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(0.1 * t + i);
            }
            layer.step(s, x, y);
        }
        return y;
    }
}

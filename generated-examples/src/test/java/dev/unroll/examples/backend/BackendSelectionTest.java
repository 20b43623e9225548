package dev.unroll.examples.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.attention.Gla_D16Layer;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.internal.random.Xorshift64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backend selection on a JVM without TornadoVM (this build compiles the examples without tornado-api,
 * so no glue exists): the JVM is chosen and reported, chunks run through it reproduce the layer's
 * forward, and forcing TornadoVM fails with a message that says what is missing.
 */
class BackendSelectionTest {
    @AfterEach
    void clearProperties() {
        System.clearProperty(Backend.PROPERTY);
        System.clearProperty(Backend.TORNADO_RUNTIME_PROPERTY);
        System.clearProperty(DeviceIndex.PROPERTY);
    }

    @Test
    void jvmIsChosenAndReportedWithoutTornadoVm() {
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        try (SequenceRunner r = LinearAttentionRunners.open(layer, layer.newState(), 4)) {
            assertEquals(Backend.JVM, r.backend());
        }
        assertEquals("JVM (TornadoVM runtime not loaded)", Backend.JVM.describe());
    }

    @Test
    void tornadoRuntimeWithoutGlueStillRunsOnTheJvm() {
        System.setProperty(Backend.TORNADO_RUNTIME_PROPERTY, "uk.ac.manchester.tornado.runtime.TornadoCoreRuntime");
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        try (SequenceRunner r = LinearAttentionRunners.open(layer, layer.newState(), 4)) {
            assertEquals(Backend.JVM, r.backend(), "no Gla_D16Tornado was generated, so the JVM kernels run");
        }
    }

    @Test
    void jvmChunksReproduceForward() {
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        AttentionState viaRunner = layer.newState();
        AttentionState direct = layer.newState();
        Xorshift64 rng = new Xorshift64(5);
        try (SequenceRunner r = LinearAttentionRunners.open(layer, viaRunner, 3)) {
            for (int chunk = 0; chunk < 4; chunk++) {
                float[] xs = new float[3 * 16];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) rng.nextNormal();
                }
                float[] a = new float[xs.length];
                float[] b = new float[xs.length];
                r.run(xs, a);
                layer.forward(direct, xs, 3, b);
                assertArrayEquals(b, a);
            }
            r.syncState();
        }
        assertArrayEquals(direct.f32(), viaRunner.f32());
        assertEquals(12, viaRunner.tokens());
    }

    @Test
    void streamsRunOnTheJvmWithoutGlueAndForcingTornadoVmNamesTheMissingClass() {
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        try (dev.unroll.runtime.backend.StreamsRunner r = LinearAttentionRunners.openStreams(layer, new AttentionState[] {layer.newState()})) {
            assertEquals(Backend.JVM, r.backend());
        }
        System.setProperty(Backend.PROPERTY, "tornadovm");
        UnrollException e = assertThrows(UnrollException.class, () -> LinearAttentionRunners.openStreams(layer, new AttentionState[] {layer.newState()}));
        assertTrue(e.getMessage().startsWith("TornadoVM backend requested but dev.unroll.examples.attention.Gla_D16Layer has no TornadoVM glue"),
                e.getMessage());
    }

    @Test
    void forcingTornadoVmWithoutGlueNamesTheMissingClass() {
        System.setProperty(Backend.PROPERTY, "tornadovm");
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        UnrollException e = assertThrows(UnrollException.class, () -> LinearAttentionRunners.open(layer, layer.newState(), 1));
        assertTrue(e.getMessage().startsWith("TornadoVM backend requested but dev.unroll.examples.attention.Gla_D16Layer has no TornadoVM glue"),
                e.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        System.setProperty(Backend.PROPERTY, "gpu");
        assertEquals("-Dunroll.backend=gpu: expected jvm or tornadovm",
                assertThrows(UnrollException.class, () -> LinearAttentionRunners.open(layer, layer.newState(), 1)).getMessage());
        System.setProperty(Backend.PROPERTY, "jvm");
        assertEquals("tokens (0) must be >= 1",
                assertThrows(UnrollException.class, () -> LinearAttentionRunners.open(layer, layer.newState(), 0)).getMessage());
        try (SequenceRunner r = LinearAttentionRunners.open(layer, layer.newState(), 2)) {
            assertEquals("'xs': expected shape [32], got [16]", assertThrows(UnrollException.class, () -> r.run(new float[16], new float[32])).getMessage());
            float[] xs = new float[32];
            xs[20] = Float.NaN;
            assertEquals("run: xs[20] (token 1 of the chunk) is NaN: inputs must be finite",
                    assertThrows(UnrollException.class, () -> r.run(xs, new float[32])).getMessage());
        }
        dev.unroll.runtime.attention.AttentionState other = dev.unroll.examples.attention.RetNet_D16Layer.seeded().newState();
        assertTrue(assertThrows(UnrollException.class, () -> LinearAttentionRunners.open(layer, other, 2)).getMessage()
                .startsWith("LinearAttentionRunners.open: state belongs to @LinearAttention(mode = RETNET"));
    }
}

package dev.unroll.runtime.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.internal.random.Xorshift64;
import org.junit.jupiter.api.Test;

/**
 * {@link LinearAttentionRunners#openStreams} on the JVM: the runner steps its streams as each stream run
 * alone does, and every argument rule is an {@link UnrollException} naming the argument and the value.
 */
class StreamsRunnerTest {
    private static final AttentionSpec SPEC = AttentionSpec.builder(AttentionMode.LOG_LINEAR, 16).heads(2).build();
    private static final LinearAttentionLayer LAYER = GenericLinearAttention.seeded(SPEC);

    @Test
    void streamsStepAsEachStreamAlone() {
        int streams = 3;
        int width = SPEC.width();
        AttentionState[] batched = new AttentionState[streams];
        AttentionState[] alone = new AttentionState[streams];
        Xorshift64 rng = new Xorshift64(3);
        for (int b = 0; b < streams; b++) {
            batched[b] = LAYER.newState();
            alone[b] = LAYER.newState();
            for (int t = 0; t < b; t++) { // streams at different positions, so their level masks differ
                float[] x = normal(rng, width);
                LAYER.step(batched[b], x, new float[width]);
                LAYER.step(alone[b], x, new float[width]);
            }
        }
        try (StreamsRunner r = LinearAttentionRunners.openStreams(LAYER, batched, Backend.JVM)) {
            assertEquals(Backend.JVM, r.backend());
            assertEquals(streams, r.streams());
            for (int step = 0; step < 5; step++) {
                float[] xs = normal(rng, streams * width);
                float[] ys = new float[xs.length];
                r.step(xs, ys);
                for (int b = 0; b < streams; b++) {
                    float[] y = new float[width];
                    LAYER.step(alone[b], java.util.Arrays.copyOfRange(xs, b * width, (b + 1) * width), y);
                    assertArrayEquals(y, java.util.Arrays.copyOfRange(ys, b * width, (b + 1) * width), 1e-5f, "step " + step + ", stream " + b);
                }
            }
            r.syncStates();
        }
        for (int b = 0; b < streams; b++) {
            assertArrayEquals(alone[b].f32(), batched[b].f32(), 1e-5f, "state of stream " + b);
            assertEquals(alone[b].tokens(), batched[b].tokens());
            assertEquals(alone[b].levelMask(), batched[b].levelMask());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        AttentionState a = LAYER.newState();
        assertEquals("LinearAttentionRunners.openStreams: states is empty: give at least one stream",
                message(() -> LinearAttentionRunners.openStreams(LAYER, new AttentionState[0])));
        assertEquals("LinearAttentionRunners.openStreams: states[0] and states[1] are the same AttentionState: each stream needs its own",
                message(() -> LinearAttentionRunners.openStreams(LAYER, new AttentionState[] {a, a})));
        AttentionState other = new AttentionState(AttentionSpec.builder(AttentionMode.GLA, 8).build());
        assertEquals("LinearAttentionRunners.openStreams: states[1] belongs to " + other.spec().describe() + ", not to this layer's " + LAYER.spec().describe(),
                message(() -> LinearAttentionRunners.openStreams(LAYER, new AttentionState[] {a, other})));

        StreamsRunner r = LinearAttentionRunners.openStreams(LAYER, new AttentionState[] {a, LAYER.newState()});
        assertEquals("'xs': expected shape [32], got [16]", message(() -> r.step(new float[16], new float[32])));
        float[] xs = new float[32];
        xs[20] = Float.NaN;
        assertEquals("step: xs[20] (stream 1) is NaN: inputs must be finite", message(() -> r.step(xs, new float[32])));
        r.close();
        assertEquals("step: this StreamsRunner is closed", message(() -> r.step(new float[32], new float[32])));
        assertEquals("syncStates: this StreamsRunner is closed", message(r::syncStates));
        r.close(); // closing twice is allowed
    }

    @Test
    void anOverflowNamesItsStream() {
        LinearAttentionLayer gla = GenericLinearAttention.seeded(AttentionSpec.builder(AttentionMode.GLA, 16).build());
        try (StreamsRunner r = LinearAttentionRunners.openStreams(gla, new AttentionState[] {gla.newState(), gla.newState()})) {
            float[] xs = new float[32];
            java.util.Arrays.fill(xs, 16, 32, 3e38f);
            String m = message(() -> r.step(xs, new float[32]));
            assertEquals(true, m.startsWith("the output of stream 1 of this batch is Infinity"), m);
        }
    }

    /** Closing brings a backend's states back before it frees them, once; a backend's own failure becomes an UnrollException. */
    @Test
    void closeSyncsFirstAndBackendFailuresAreNamed() {
        java.util.List<String> calls = new java.util.ArrayList<>();
        StreamsRunner inner = new StreamsRunner() {
            @Override
            public Backend backend() {
                return Backend.TORNADOVM;
            }

            @Override
            public int streams() {
                return 1;
            }

            @Override
            public void step(float[] xs, float[] ys) {
                calls.add("step");
                throw new IllegalStateException("device out of memory");
            }

            @Override
            public void syncStates() {
                calls.add("sync");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        CheckedStreams r = new CheckedStreams(inner, 4, 4);
        assertEquals("step: the TORNADOVM backend failed: java.lang.IllegalStateException: device out of memory",
                message(() -> r.step(new float[4], new float[4])));
        r.close();
        r.close();
        assertEquals(java.util.List.of("step", "sync", "close"), calls);
    }

    private static String message(Runnable r) {
        return assertThrows(UnrollException.class, r::run).getMessage();
    }

    private static float[] normal(Xorshift64 rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextNormal();
        }
        return x;
    }
}

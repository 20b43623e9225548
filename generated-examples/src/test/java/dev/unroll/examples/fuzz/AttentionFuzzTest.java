package dev.unroll.examples.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.examples.attention.CompactProjections_GatedDeltaNetBf16Layer;
import dev.unroll.examples.attention.CompactProjections_Rwkv7Q8Layer;
import dev.unroll.examples.attention.DeltaNet_D16F64Layer;
import dev.unroll.examples.attention.LogLinearGdn_D64Layer;
import dev.unroll.examples.attention.RetNet_D64Layer;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.fuzz.SmallBudget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) of {@code stepBatch} on generated attention layers (f32 in
 * both flavours, BF16 and Q8 projections, LogLinear's level masks, an f64 layer) and the generic
 * engine, with and without a thread bound. The bytes choose the layer and every argument: up to 140 streams (across the 64-stream
 * calls and the per-thread split), states new, restored, null, repeated or of another layer, inputs
 * of any length, null, shared, another stream's output, with values small, huge or not finite. Each
 * call must end within {@link #LIMIT} in one clean {@code UnrollException}, or return what each
 * stream stepped alone returns (3e-5 of the outputs' scale, as {@code StreamBatchTest}), with the
 * same states. {@link #openStreams} does the same through {@code LinearAttentionRunners.openStreams}.
 * In the normal test run each target replays its committed corpus ({@code AttentionFuzzTestInputs/<target>/}).
 */
@ExtendWith(SmallBudget.class)
class AttentionFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);
    private static List<LinearAttentionLayer> layers;

    private static synchronized List<LinearAttentionLayer> layers() {
        if (layers == null) {
            RetNet_D64Layer retnet = RetNet_D64Layer.seeded();
            layers = List.of(retnet.withFlavour(Flavour.SIMD), retnet.withFlavour(Flavour.SCALAR), LogLinearGdn_D64Layer.seeded(),
                    CompactProjections_GatedDeltaNetBf16Layer.seeded(), CompactProjections_Rwkv7Q8Layer.seeded(), DeltaNet_D16F64Layer.seeded(),
                    GenericLinearAttention.seeded(RetNet_D64Layer.SPEC));
        }
        return layers;
    }

    @FuzzTest(maxDuration = "15s")
    void stepBatch(FuzzedDataProvider in) {
        LinearAttentionLayer layer = layers().get(in.consumeInt(0, layers().size() - 1));
        int d = layer.spec().width();
        int n = in.consumeInt(0, 7) == 0 ? in.consumeInt(0, 140) : in.consumeInt(0, 9);
        AttentionState[] states = new AttentionState[in.consumeInt(0, 15) == 0 ? in.consumeInt(0, n + 1) : n];
        for (int i = 0; i < states.length; i++) {
            states[i] = switch (in.consumeInt(0, 15)) {
                case 0 -> null;
                case 1 -> i > 0 ? states[i - 1] : layer.newState();
                case 2 -> layers().get(in.consumeInt(0, layers().size() - 1)).newState();
                default -> warmed(layer, in.consumeInt(0, 3), 0.3f + i);
            };
        }
        float[][] ys = new float[in.consumeInt(0, 15) == 0 ? in.consumeInt(0, n + 1) : n][];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = switch (in.consumeInt(0, 15)) {
                case 0 -> null;
                case 1 -> i > 0 ? ys[i - 1] : new float[d];
                case 2 -> new float[in.consumeInt(0, 2 * d)];
                default -> new float[d];
            };
        }
        float[][] xs = new float[in.consumeInt(0, 15) == 0 ? in.consumeInt(0, n + 1) : n][];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = switch (in.consumeInt(0, 15)) {
                case 0 -> null;
                case 1 -> i > 0 ? xs[i - 1] : input(in, d);
                case 2 -> ys.length > 0 ? ys[in.consumeInt(0, ys.length - 1)] : input(in, d);
                case 3 -> new float[in.consumeInt(0, 2 * d)];
                default -> input(in, d);
            };
        }
        int threads = switch (in.consumeInt(0, 7)) {
            case 0 -> in.consumeInt(); // any int: the overload refuses less than 1
            case 1, 2 -> in.consumeInt(1, 3);
            default -> 0; // the overload without threads
        };
        Hostile.endsCleanly("stepBatch", LIMIT, () -> {
            AttentionState[] before = copies(states);
            float[][] inputs = copies(xs);
            if (threads == 0) {
                layer.stepBatch(states, xs, ys);
            } else {
                layer.stepBatch(states, xs, ys, threads);
            }
            // it returned: every stream must hold what it holds stepped alone
            for (int i = 0; i < states.length; i++) {
                float[] y = new float[d];
                layer.step(before[i], inputs[i], y);
                Tolerance.assertScaled(Tolerance.widen(y), Tolerance.widen(ys[i]), 3e-5, "stream " + i + " of " + states.length);
                Tolerance.assertScaled(before[i].values(), states[i].values(), 3e-5, "state " + i);
            }
        });
    }

    /**
     * {@code LinearAttentionRunners.openStreams} and its runner (on the JVM here; the device checks run the
     * TornadoVM glue): states new, warmed, null, repeated or of another layer; then up to four calls of
     * {@code step} with inputs and outputs of any length, small, huge or not finite, {@code syncStates},
     * and sometimes a call after {@code close}. Each call must end in one clean {@code UnrollException} or
     * return what each stream stepped alone returns, with the same states.
     */
    @FuzzTest(maxDuration = "15s")
    void openStreams(FuzzedDataProvider in) {
        LinearAttentionLayer layer = layers().get(in.consumeInt(0, layers().size() - 1));
        int d = layer.spec().width();
        int n = in.consumeInt(0, 7) == 0 ? in.consumeInt(0, 80) : in.consumeInt(0, 5);
        AttentionState[] states = new AttentionState[n];
        for (int i = 0; i < n; i++) {
            states[i] = switch (in.consumeInt(0, 15)) {
                case 0 -> null;
                case 1 -> i > 0 ? states[i - 1] : layer.newState();
                case 2 -> layers().get(in.consumeInt(0, layers().size() - 1)).newState();
                default -> warmed(layer, in.consumeInt(0, 3), 0.3f + i);
            };
        }
        int calls = in.consumeInt(0, 4);
        boolean closeFirst = in.consumeInt(0, 15) == 0;
        float[][] xs = new float[calls][];
        float[][] ys = new float[calls][];
        for (int c = 0; c < calls; c++) {
            int len = in.consumeInt(0, 15) == 0 ? in.consumeInt(0, n * d + 2) : n * d;
            xs[c] = switch (in.consumeInt(0, 15)) {
                case 0 -> new float[len];
                default -> {
                    float[] x = new float[len];
                    for (int b = 0; b * d < len; b++) {
                        System.arraycopy(input(in, d), 0, x, b * d, Math.min(d, len - b * d));
                    }
                    yield x;
                }
            };
            ys[c] = new float[in.consumeInt(0, 15) == 0 ? in.consumeInt(0, n * d + 2) : n * d];
        }
        Hostile.endsCleanly("openStreams", LIMIT, () -> {
            AttentionState[] alone = copies(states);
            try (StreamsRunner r = LinearAttentionRunners.openStreams(layer, states, Backend.JVM)) {
                if (closeFirst) {
                    r.close();
                }
                for (int c = 0; c < calls; c++) {
                    r.step(xs[c], ys[c]);
                    // it returned: every stream must hold what it holds stepped alone
                    for (int b = 0; b < n; b++) {
                        float[] y = new float[d];
                        layer.step(alone[b], java.util.Arrays.copyOfRange(xs[c], b * d, (b + 1) * d), y);
                        Tolerance.assertScaled(Tolerance.widen(y), Tolerance.widen(java.util.Arrays.copyOfRange(ys[c], b * d, (b + 1) * d)), 3e-5,
                                "call " + c + ", stream " + b + " of " + n);
                    }
                }
                r.syncStates();
            }
            for (int b = 0; b < n; b++) {
                Tolerance.assertScaled(alone[b].values(), states[b].values(), 3e-5, "state " + b);
            }
        });
    }

    /** A state that has seen some tokens. */
    private static AttentionState warmed(LinearAttentionLayer layer, int tokens, float amp) {
        AttentionState s = layer.newState();
        int d = layer.spec().width();
        float[] x = new float[d];
        float[] y = new float[d];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < d; i++) {
                x[i] = (float) (amp * Math.sin(0.3 * t + 0.7 * i));
            }
            layer.step(s, x, y);
        }
        return s;
    }

    /** Mostly ordinary values; sometimes huge or not finite. */
    private static float[] input(FuzzedDataProvider in, int d) {
        float[] x = new float[d];
        int kind = in.consumeInt(0, 15);
        for (int i = 0; i < d; i++) {
            x[i] = switch (kind) {
                case 0 -> in.consumeFloat();
                case 1 -> in.consumeRegularFloat(-1e30f, 1e30f);
                default -> in.consumeRegularFloat(-4f, 4f);
            };
        }
        return x;
    }

    private static AttentionState[] copies(AttentionState[] states) {
        AttentionState[] c = new AttentionState[states.length];
        for (int i = 0; i < states.length; i++) {
            c[i] = states[i] == null ? null : AttentionState.fromBytes(states[i].toBytes());
        }
        return c;
    }

    private static float[][] copies(float[][] xs) {
        float[][] c = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            c[i] = xs[i] == null ? null : xs[i].clone();
        }
        return c;
    }
}

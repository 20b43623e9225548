package dev.unroll.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.fla.GatedDeltaNetConfig;
import dev.unroll.runtime.fla.GatedDeltaNetLayer;
import dev.unroll.runtime.fla.GatedDeltaNetState;
import dev.unroll.runtime.fla.GatedDeltaNetWeights;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) of fla's GatedDeltaNet layer as a user loads it: an input is a
 * configuration line (fla's keys, {@link GatedDeltaNetConfig#fromJson}) and, after its newline, a
 * safetensors file of the layer's {@code state_dict}. A configuration and checkpoint that load must run
 * 5 tokens as a sequence and as 5 steps with the same bits, and a state taken out and put back into a
 * fresh one must continue identically; anything else must fail with one clean UnrollException within
 * {@link #LIMIT}. In the normal test run it replays the committed corpus
 * ({@code FlaLayerFuzzTestInputs/gatedDeltaNet/}: the fixtures of {@code data/fla-layers}, each after its
 * configuration line).
 */
@ExtendWith(SmallBudget.class)
class FlaLayerFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @FuzzTest(maxDuration = "15s")
    void gatedDeltaNet(byte[] data) {
        Hostile.endsCleanly("gatedDeltaNet", LIMIT, () -> run(data));
    }

    static void run(byte[] data) {
        int nl = 0;
        while (nl < data.length && data[nl] != '\n') {
            nl++;
        }
        GatedDeltaNetConfig config = GatedDeltaNetConfig.fromJson(new String(data, 0, nl, StandardCharsets.UTF_8));
        byte[] file = Arrays.copyOfRange(data, Math.min(nl + 1, data.length), data.length);
        GatedDeltaNetLayer layer = new GatedDeltaNetLayer(GatedDeltaNetWeights.load(config, FuzzTargets.write("fuzz-gdn.safetensors", file)));
        int d = config.hiddenSize();
        int tokens = 5;
        float[] xs = new float[tokens * d];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(0.37 * i + 0.2);
        }
        GatedDeltaNetState seq = layer.newState();
        float[] ys = new float[xs.length];
        layer.forward(seq, xs, tokens, ys);
        GatedDeltaNetState stepped = layer.newState();
        float[] y = new float[d];
        for (int t = 0; t < tokens; t++) {
            layer.step(stepped, Arrays.copyOfRange(xs, t * d, (t + 1) * d), y);
            if (!Arrays.equals(y, Arrays.copyOfRange(ys, t * d, (t + 1) * d))) {
                throw new AssertionError("token " + t + ": the step differs from the sequence");
            }
        }
        GatedDeltaNetState moved = layer.newState();
        moved.setRecurrentState(stepped.recurrentState());
        if (config.useShortConv()) {
            for (char c : new char[] {'q', 'k', 'v'}) {
                moved.setConvState(c, stepped.convState(c));
            }
        }
        float[] a = new float[d];
        float[] b = new float[d];
        layer.step(stepped, Arrays.copyOf(xs, d), a);
        layer.step(moved, Arrays.copyOf(xs, d), b);
        if (!Arrays.equals(a, b)) {
            throw new AssertionError("a state taken out and put back continues differently");
        }
    }
}

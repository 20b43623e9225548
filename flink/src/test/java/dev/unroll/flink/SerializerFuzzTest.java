package dev.unroll.flink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.fuzz.SmallBudget;
import dev.unroll.runtime.sweep.RuntimeValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Flink state serializer as a fuzz target: any bytes, read as a checkpoint's record of a GLA
 * layer's state, must restore (and then serialise back to the same bytes) or fail with one clean
 * UnrollException within the limit, under a small memory budget. Jazzer's agent instruments every
 * class loaded after it, Flink's too, which cost the module's other tests half a minute: so this
 * class runs only when asked ({@code .ci/fuzz}, {@code JAZZER_FUZZ=1}: coverage-guided from the
 * committed corpus {@code SerializerFuzzTestInputs/deserialize/}), and {@link SerializerMutationTest}
 * replays that corpus and its structured mutants in every {@code mvn verify}.
 */
@ExtendWith(SmallBudget.class)
class SerializerFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @FuzzTest(maxDuration = "15s")
    void deserialize(byte[] data) {
        Hostile.endsCleanly("deserialize", LIMIT, () -> target(data));
    }

    /**
     * Restores a record; one that restores must serialise to a record that restores to the same state
     * and serialises back to itself (a record may spell its descriptor otherwise, e.g. {@code "valueWidth":0}
     * for the key width, which the serializer writes out), and must copy through the view.
     */
    static void target(byte[] data) throws IOException {
        AttentionStateSerializer ser = new AttentionStateSerializer(RuntimeValues.GLA);
        AttentionState s = ser.deserialize(new DataInputDeserializer(data));
        byte[] again = serialize(ser, s);
        AttentionState restored = ser.deserialize(new DataInputDeserializer(again));
        if (!Arrays.equals(restored.toBytes(), s.toBytes()) || !Arrays.equals(serialize(ser, restored), again)) {
            throw new AssertionError("a restored state does not serialise to a record of the same state");
        }
        ser.copy(new DataInputDeserializer(data), new DataOutputSerializer(64));
    }

    private static byte[] serialize(AttentionStateSerializer ser, AttentionState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ser.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    /** Records the sweep and the corpus start from: valid ones and the usual hostile shapes. */
    static Map<String, byte[]> records() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] good = record(new AttentionState(RuntimeValues.GLA).toBytes());
        m.put("a GLA state's record", good);
        m.put("an empty input", new byte[0]);
        m.put("a cut prefix", new byte[] {0, 0});
        m.put("a record cut in half", Arrays.copyOf(good, good.length / 2));
        m.put("a prefix of 2^31 - 1", ByteBuffer.allocate(16).putInt(Integer.MAX_VALUE).array());
        m.put("a prefix of 1 GiB", ByteBuffer.allocate(16).putInt(1 << 30).array());
        m.put("a negative prefix", ByteBuffer.allocate(16).putInt(-7).array());
        m.put("a Log-Linear state's record", record(new AttentionState(RuntimeValues.LOG_LINEAR).toBytes()));
        m.put("a record of 64 bytes of 0xff", ByteBuffer.allocate(68).putInt(64).put(filled(64)).array());
        return m;
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xff);
        return b;
    }

    /** A state after {@code tokens} tokens of x_t[i] = sin(0.37 t + 0.11 i) through the generic engine with seeded weights. */
    static AttentionState stepped(dev.unroll.runtime.attention.AttentionSpec spec, int tokens) {
        dev.unroll.runtime.attention.GenericLinearAttention layer = dev.unroll.runtime.attention.GenericLinearAttention.seeded(spec);
        AttentionState s = layer.newState(); // the generic engine computes at f64
        double[] x = new double[spec.width()];
        double[] y = new double[spec.width()];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.sin(0.37 * t + 0.11 * i);
            }
            layer.step(s, x, y);
        }
        AttentionState out = new AttentionState(spec);
        out.setValues(s.values());
        System.arraycopy(s.meta(), 0, out.meta(), 0, 2);
        return out;
    }

    static byte[] record(byte[] state) {
        return ByteBuffer.allocate(4 + state.length).putInt(state.length).put(state).array();
    }

    /**
     * Writes the seed corpus (deterministic); run from the repository root after a format change:
     * {@code mvn -q -pl flink test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.unroll.flink.SerializerFuzzTest}.
     *
     * @param args optional output folder
     */
    public static void main(String[] args) {
        java.nio.file.Path dir = java.nio.file.Path.of(args.length > 0 ? args[0] : "flink/src/test/resources/dev/unroll/flink/SerializerFuzzTestInputs/deserialize");
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.write(dir.resolve("gla-0-tokens.record"), record(stepped(RuntimeValues.GLA, 0).toBytes()));
            java.nio.file.Files.write(dir.resolve("gla-5-tokens.record"), record(stepped(RuntimeValues.GLA, 5).toBytes()));
            java.nio.file.Files.write(dir.resolve("loglinear-5-tokens.record"), record(stepped(RuntimeValues.LOG_LINEAR, 5).toBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

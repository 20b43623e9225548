package dev.unroll.flink;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The committed fixture {@code state-serializer-v1.bin}: what a checkpoint written by snapshot
 * version 1 holds for one key (the serializer's versioned snapshot, then one state record), so that
 * every later version is tested against it. Written once with this class at version 1; rerun only
 * to add a fixture for a new version, never to replace this one:
 * {@code mvn -q -pl flink test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.unroll.flink.SerializerFixture}.
 */
public final class SerializerFixture {
    static final String V1 = "state-serializer-v1.bin";

    private SerializerFixture() {}

    /** @return the fixture's descriptor */
    static AttentionSpec spec() {
        return AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).precision(Precision.F64).build();
    }

    /** @return the fixture's state values: 0.01 i - 0.3 */
    static double[] values() {
        double[] v = new double[spec().stateSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.01 * i - 0.3;
        }
        return v;
    }

    /**
     * @param args unused
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        AttentionStateSerializer serializer = new AttentionStateSerializer(spec());
        AttentionState s = new AttentionState(spec());
        s.setValues(values());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        serializer.serialize(s, out);
        Files.write(Path.of("flink/src/test/resources/dev/unroll/flink").resolve(V1), out.getCopyOfBuffer());
    }
}

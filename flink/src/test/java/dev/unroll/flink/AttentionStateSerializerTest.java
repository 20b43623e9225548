package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.io.InputStream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The state's Flink serializer: round trips, descriptor checks, and the committed version-1 fixture. */
class AttentionStateSerializerTest {
    /** f64: a descriptor without a generated kernel here runs on the generic engine, which computes at f64. */
    static final AttentionSpec GLA = AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).precision(Precision.F64).build();

    static AttentionState stepped(AttentionSpec spec, int tokens) {
        LinearAttentionLayer layer = LayerSource.seeded(spec).layer();
        AttentionState s = layer.newState();
        float[] x = new float[spec.width()];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(0.3 * t + i);
            }
            layer.step(s, x, new float[x.length]);
        }
        return s;
    }

    @Test
    void aStateRoundTripsThroughTheSerializerAndItsCopies() throws Exception {
        AttentionStateSerializer ser = new AttentionStateSerializer(GLA);
        AttentionState s = stepped(GLA, 5);
        DataOutputSerializer out = new DataOutputSerializer(256);
        ser.serialize(s, out);
        AttentionState back = ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertArrayEquals(s.toBytes(), back.toBytes());
        DataOutputSerializer copied = new DataOutputSerializer(1024); // copy(view, view) does not grow the target
        ser.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertArrayEquals(out.getCopyOfBuffer(), copied.getCopyOfBuffer());
        AttentionState c = ser.copy(s);
        assertArrayEquals(s.toBytes(), c.toBytes());
        assertTrue(c != s, "a copy is a new object");
    }

    @Test
    void theSerializerTravelsWithTheJobGraph() throws Exception {
        AttentionStateSerializer ser = new AttentionStateSerializer(GLA);
        AttentionStateSerializer back = org.apache.flink.util.InstantiationUtil.clone(ser);
        assertEquals(ser, back);
        assertEquals(GLA, back.spec());
    }

    @Test
    void aStateOfAnotherDescriptorIsRefusedNamingBoth() throws Exception {
        AttentionSpec other = AttentionSpec.builder(AttentionMode.DELTA_NET, 8).heads(2).precision(Precision.F64).build();
        DataOutputSerializer out = new DataOutputSerializer(256);
        new AttentionStateSerializer(GLA).serialize(stepped(GLA, 2), out);
        UnrollException e = assertThrows(UnrollException.class,
                () -> new AttentionStateSerializer(other).deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        assertTrue(e.getMessage().contains("mode = GLA") && e.getMessage().contains("mode = DELTA_NET"), e.getMessage());

        TypeSerializerSnapshot<AttentionState> old = new AttentionStateSerializer(GLA).snapshotConfiguration();
        UnrollException s = assertThrows(UnrollException.class,
                () -> new AttentionStateSerializer(other).snapshotConfiguration().resolveSchemaCompatibility(old));
        assertTrue(s.getMessage().contains("written by a layer @LinearAttention(mode = GLA") && s.getMessage().contains("this job's layer is "
                + "@LinearAttention(mode = DELTA_NET"), s.getMessage());
        assertTrue(new AttentionStateSerializer(GLA).snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAsIs());
    }

    /**
     * The length prefix is read before the bytes it announces: a prefix past the longest record the
     * descriptor allows (2^31 - 1 here), or within it but over the memory budget (a layer whose state
     * is 512 MiB, a prefix of 300 MiB under a 256 MiB budget), is a clean error before anything is
     * allocated, and a prefix longer than what follows is a truncated record.
     */
    @Test
    void aLyingLengthPrefixIsACleanErrorBeforeAnyAllocation() throws Exception {
        AttentionStateSerializer ser = new AttentionStateSerializer(GLA);
        UnrollException huge = assertThrows(UnrollException.class, () -> ser.deserialize(new DataInputDeserializer(prefix(Integer.MAX_VALUE))));
        assertTrue(huge.getMessage().contains("corrupt attention state record: length 2147483647, a state of @LinearAttention(mode = GLA")
                && huge.getMessage().contains("has at most 65792 bytes"), huge.getMessage());
        AttentionStateSerializer large = new AttentionStateSerializer(AttentionSpec.builder(AttentionMode.GLA, 8192).heads(1).precision(Precision.F64).build());
        String old = System.setProperty("unroll.maxBytes", "256m");
        try {
            UnrollException budget = assertThrows(UnrollException.class, () -> large.deserialize(new DataInputDeserializer(prefix(300 << 20))));
            assertTrue(budget.getMessage().contains("an attention state record (its length prefix) needs 300.0 MiB, more than the memory budget"),
                    budget.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("unroll.maxBytes");
            } else {
                System.setProperty("unroll.maxBytes", old);
            }
        }
        UnrollException cut = assertThrows(UnrollException.class, () -> ser.deserialize(new DataInputDeserializer(prefix(4096))));
        assertTrue(cut.getMessage().contains("truncated attention state record: its length prefix says 4096 bytes"), cut.getMessage());
    }

    /** A length prefix followed by 10 bytes. */
    static byte[] prefix(int length) {
        return java.nio.ByteBuffer.allocate(14).putInt(length).array();
    }

    /** A checkpoint written by snapshot version 1 (committed bytes) still restores. */
    @Test
    void aVersionOneSnapshotStillRestores() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream(SerializerFixture.V1)) {
            bytes = in.readAllBytes();
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<AttentionState> snap = TypeSerializerSnapshot.readVersionedSnapshot(in, getClass().getClassLoader());
        TypeSerializer<AttentionState> restored = snap.restoreSerializer();
        assertEquals(new AttentionStateSerializer(SerializerFixture.spec()), restored);
        AttentionState s = restored.deserialize(in);
        assertEquals(SerializerFixture.spec(), s.spec());
        assertArrayEquals(SerializerFixture.values(), s.values(), 0.0);
        assertTrue(new AttentionStateSerializer(SerializerFixture.spec()).snapshotConfiguration().resolveSchemaCompatibility(snap).isCompatibleAsIs());
    }
}

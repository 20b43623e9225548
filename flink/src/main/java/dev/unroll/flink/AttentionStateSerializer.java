package dev.unroll.flink;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a stream's {@link AttentionState}, in Unroll's stable serialised form
 * ({@link AttentionState#toBytes()}: magic, format version, the descriptor, precision, counters,
 * values) behind a length prefix. The descriptor travels in every record and in the serializer's
 * snapshot, so a state cannot be read into a layer of another descriptor: that is an
 * {@link UnrollException} naming both.
 */
public final class AttentionStateSerializer extends TypeSerializer<AttentionState> {
    private static final long serialVersionUID = 1L;

    /** The descriptor as JSON: serializers travel with the job graph, and specs are not Serializable. */
    private final String descriptor;
    private transient AttentionSpec spec;

    /** @param spec the descriptor of the layer whose states this serializer holds */
    public AttentionStateSerializer(AttentionSpec spec) {
        this.descriptor = Json.write(Checks.notNull("AttentionStateSerializer: spec", spec).toJson());
        this.spec = spec;
    }

    /** @return the descriptor */
    public AttentionSpec spec() {
        if (spec == null) {
            spec = AttentionSpec.fromJson(Json.parseObject(descriptor));
        }
        return spec;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<AttentionState> duplicate() {
        return this; // stateless
    }

    @Override
    public AttentionState createInstance() {
        return new AttentionState(spec());
    }

    @Override
    public AttentionState copy(AttentionState from) {
        return Checks.notNull("copy: the state", from).snapshot();
    }

    @Override
    public AttentionState copy(AttentionState from, AttentionState reuse) {
        Checks.notNull("copy: the state", from);
        if (reuse != null && reuse.spec().equals(from.spec())) {
            reuse.restore(from);
            return reuse;
        }
        return from.snapshot();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AttentionState record, DataOutputView target) throws IOException {
        if (!Checks.notNull("serialize: the state", record).spec().equals(spec())) {
            throw new UnrollException("a state of " + record.spec().describe() + " in the state of a layer " + spec().describe());
        }
        byte[] b = record.toBytes();
        Checks.notNull("serialize: the output", target).writeInt(b.length);
        target.write(b);
    }

    /**
     * The longest record a state of this descriptor has: its values plus a generous allowance for
     * the header and the descriptor's text (whose form may grow in later versions). A length past
     * it is corruption, refused before anything is allocated.
     */
    private long maxRecordBytes() {
        AttentionSpec sp = spec();
        return (long) sp.stateSize() * (sp.precision() == dev.unroll.annotations.Precision.F32 ? 4 : 8) + (1 << 16);
    }

    @Override
    public AttentionState deserialize(DataInputView source) throws IOException {
        int n = prefix(source);
        if (n < 0 || n > maxRecordBytes()) {
            throw new UnrollException("corrupt attention state record: length " + n + ", a state of " + spec().describe() + " has at most "
                    + maxRecordBytes() + " bytes");
        }
        // the prefix is read before its bytes: it must not allocate what the memory budget refuses, nor more than the bytes present
        Limits.checkBudget("an attention state record (its length prefix)", Limits.arrayLength("an attention state record", n));
        byte[] b = read(source, n);
        AttentionState s = AttentionState.fromBytes(b);
        if (!s.spec().equals(spec())) {
            throw new UnrollException("a state written by a layer " + s.spec().describe() + " cannot be restored into a layer " + spec().describe()
                    + ": run the job with the descriptor its state was written with");
        }
        return s;
    }

    @Override
    public AttentionState deserialize(AttentionState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = prefix(source);
        if (n < 0 || n > maxRecordBytes()) {
            throw new UnrollException("corrupt attention state record: length " + n + ", a state of " + spec().describe() + " has at most "
                    + maxRecordBytes() + " bytes");
        }
        Checks.notNull("copy: the output", target).writeInt(n);
        try {
            target.write(source, n);
        } catch (java.io.EOFException e) {
            throw new UnrollException("truncated attention state record: its length prefix says " + n + " bytes, fewer follow", e);
        }
    }

    /** Reads a record's bytes by chunks of 64 KiB, so that a lying prefix allocates only what follows it. */
    private static byte[] read(DataInputView source, int n) throws IOException {
        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream(Math.min(n, 1 << 16));
        byte[] chunk = new byte[Math.min(n, 1 << 16)];
        for (int left = n; left > 0; ) {
            int got = source.read(chunk, 0, Math.min(left, chunk.length));
            if (got < 0) {
                throw new UnrollException("truncated attention state record: its length prefix says " + n + " bytes, " + (n - left) + " follow");
            }
            record.write(chunk, 0, got);
            left -= got;
        }
        return record.toByteArray();
    }

    /** A record's length prefix: an empty or cut input is a truncated record, not an EOFException. */
    private static int prefix(DataInputView source) throws IOException {
        try {
            return Checks.notNull("the input", source).readInt();
        } catch (java.io.EOFException e) {
            throw new UnrollException("truncated attention state record: no length prefix", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionStateSerializer s && s.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    @Override
    public TypeSerializerSnapshot<AttentionState> snapshotConfiguration() {
        return new AttentionStateSerializerSnapshot(spec());
    }

    @Override
    public String toString() {
        return "AttentionStateSerializer[" + spec().describe() + "]";
    }
}

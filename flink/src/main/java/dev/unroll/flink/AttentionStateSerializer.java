package dev.unroll.flink;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
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
        this.descriptor = Json.write(spec.toJson());
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
        return from.snapshot();
    }

    @Override
    public AttentionState copy(AttentionState from, AttentionState reuse) {
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
        if (!record.spec().equals(spec())) {
            throw new UnrollException("a state of " + record.spec().describe() + " in the state of a layer " + spec().describe());
        }
        byte[] b = record.toBytes();
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public AttentionState deserialize(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            throw new UnrollException("corrupt attention state record: length " + n);
        }
        // the prefix is read before its bytes: it must not allocate what the memory budget refuses
        Limits.checkBudget("an attention state record (its length prefix)", Limits.arrayLength("an attention state record", n));
        byte[] b = new byte[n];
        try {
            source.readFully(b);
        } catch (java.io.EOFException e) {
            throw new UnrollException("truncated attention state record: its length prefix says " + n + " bytes, fewer follow", e);
        }
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
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
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

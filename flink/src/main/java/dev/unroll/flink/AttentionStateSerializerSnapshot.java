package dev.unroll.flink;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a checkpoint or savepoint records about {@link AttentionStateSerializer}: the descriptor, as
 * JSON. Version 1 is the only version so far; a later one must keep reading version 1 (a committed
 * fixture of version 1 is tested). Restoring into a job whose layer has another descriptor fails
 * here, with both descriptors named.
 */
public final class AttentionStateSerializerSnapshot implements TypeSerializerSnapshot<AttentionState> {
    /** The snapshot format this class writes. */
    public static final int VERSION = 1;

    private AttentionSpec spec;

    /** For Flink, which reads the snapshot into a new instance. */
    public AttentionStateSerializerSnapshot() {}

    AttentionStateSerializerSnapshot(AttentionSpec spec) {
        this.spec = spec;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(Json.write(spec.toJson()));
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion != 1) {
            throw new UnrollException("attention state serializer snapshot version " + readVersion + ": this Unroll reads version 1"
                    + (readVersion > 1 ? " (the checkpoint was written by a later Unroll)" : ""));
        }
        try {
            spec = AttentionSpec.fromJson(Json.parseObject(in.readUTF()));
        } catch (IOException | IllegalArgumentException e) {
            throw new UnrollException("corrupt attention state serializer snapshot: its descriptor cannot be read (" + e + ")", e);
        }
    }

    @Override
    public TypeSerializer<AttentionState> restoreSerializer() {
        return new AttentionStateSerializer(spec);
    }

    @Override
    public TypeSerializerSchemaCompatibility<AttentionState> resolveSchemaCompatibility(TypeSerializerSnapshot<AttentionState> oldSnapshot) {
        if (!(oldSnapshot instanceof AttentionStateSerializerSnapshot old)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        if (!old.spec.equals(spec)) {
            throw new UnrollException("the restored state was written by a layer " + old.spec.describe() + "; this job's layer is "
                    + spec.describe() + ": restore it into a job with the descriptor it was written with");
        }
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
}

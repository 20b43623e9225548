package dev.unroll.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An exactly-once sink for the tests, as transactional sinks work: a writer gathers each
 * checkpoint's outputs into a batch with a unique id, the batch travels in the checkpoint, and it
 * becomes visible only when the checkpoint completes; a batch committed again after a restore is
 * recognised by its id and not applied twice. What a run committed is read with {@link #committed}.
 */
final class CommittedSink implements Sink<AttentionOutput<String>>, SupportsCommitter<CommittedSink.Batch> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Map<String, List<AttentionOutput<String>>>> COMMITTED = new ConcurrentHashMap<>();

    private final String run;

    /** @param run a name that keeps this test's commits apart from other tests' */
    CommittedSink(String run) {
        this.run = run;
        COMMITTED.put(run, new ConcurrentHashMap<>());
    }

    /** One checkpoint's outputs of one writer. */
    record Batch(String id, List<AttentionOutput<String>> outputs) {}

    /**
     * @param run the run's name
     * @return every output the run committed, each batch once
     */
    static List<AttentionOutput<String>> committed(String run) {
        List<AttentionOutput<String>> all = new ArrayList<>();
        COMMITTED.get(run).values().forEach(all::addAll);
        return all;
    }

    @Override
    public SinkWriter<AttentionOutput<String>> createWriter(WriterInitContext context) {
        return new CommittingSinkWriter<AttentionOutput<String>, Batch>() {
            private List<AttentionOutput<String>> open = new ArrayList<>();

            @Override
            public void write(AttentionOutput<String> element, Context ctx) {
                open.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public Collection<Batch> prepareCommit() {
                Batch b = new Batch(UUID.randomUUID().toString(), open);
                open = new ArrayList<>();
                return List.of(b);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Committer<Batch> createCommitter(CommitterInitContext context) {
        String name = run;
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<Batch>> requests) {
                for (CommitRequest<Batch> r : requests) {
                    COMMITTED.get(name).putIfAbsent(r.getCommittable().id(), r.getCommittable().outputs());
                }
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SimpleVersionedSerializer<Batch> getCommittableSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Batch b) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeUTF(b.id());
                out.writeInt(b.outputs().size());
                for (AttentionOutput<String> o : b.outputs()) {
                    out.writeUTF(o.key);
                    out.writeBoolean(o.timestamp != null);
                    out.writeLong(o.timestamp == null ? 0 : o.timestamp);
                    out.writeLong(o.tokens);
                    out.writeInt(o.y.length);
                    for (float v : o.y) {
                        out.writeFloat(v);
                    }
                }
                return bytes.toByteArray();
            }

            @Override
            public Batch deserialize(int version, byte[] serialized) throws IOException {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
                String id = in.readUTF();
                int n = in.readInt();
                List<AttentionOutput<String>> outs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String key = in.readUTF();
                    boolean hasTs = in.readBoolean();
                    long ts = in.readLong();
                    long tokens = in.readLong();
                    float[] y = new float[in.readInt()];
                    for (int j = 0; j < y.length; j++) {
                        y[j] = in.readFloat();
                    }
                    outs.add(new AttentionOutput<>(key, hasTs ? ts : null, tokens, y));
                }
                return new Batch(id, outs);
            }
        };
    }
}

package dev.unroll.flink.example;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Checkpoint form of sensor partitions: each split alone (a reader's state), or a list of them (the
 * enumerator's unassigned partitions). Version 1: the partition number and the position, big-endian.
 */
final class SensorPartitionSerializer {
    private SensorPartitionSerializer() {}

    /** A single partition. */
    static final class Split implements SimpleVersionedSerializer<SensorPartition> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(SensorPartition p) throws IOException {
            return write(List.of(p));
        }

        @Override
        public SensorPartition deserialize(int version, byte[] bytes) throws IOException {
            List<SensorPartition> l = read(version, bytes);
            if (l.size() != 1) {
                throw new IOException("a sensor partition record holds " + l.size() + " partitions");
            }
            return l.get(0);
        }
    }

    /** The enumerator's checkpoint: the partitions not yet assigned. */
    static final class Pending implements SimpleVersionedSerializer<List<SensorPartition>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<SensorPartition> pending) throws IOException {
            return write(pending);
        }

        @Override
        public List<SensorPartition> deserialize(int version, byte[] bytes) throws IOException {
            return read(version, bytes);
        }
    }

    private static byte[] write(List<SensorPartition> partitions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(partitions.size());
            for (SensorPartition p : partitions) {
                out.writeInt(p.partition());
                out.writeLong(p.emitted());
            }
        }
        return bytes.toByteArray();
    }

    private static List<SensorPartition> read(int version, byte[] bytes) throws IOException {
        if (version != 1) {
            throw new IOException("sensor partition checkpoint version " + version + ": this job reads version 1");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            if (n < 0 || n > bytes.length / 12) {
                throw new IOException("corrupt sensor partition checkpoint: " + n + " partitions in " + bytes.length + " bytes");
            }
            List<SensorPartition> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int partition = in.readInt();
                long emitted = in.readLong();
                if (partition < 0 || emitted < 0) {
                    throw new IOException("corrupt sensor partition checkpoint: partition " + partition + " at reading " + emitted);
                }
                l.add(new SensorPartition(partition, emitted));
            }
            if (in.available() > 0) {
                throw new IOException("corrupt sensor partition checkpoint: " + in.available() + " trailing bytes");
            }
            return l;
        } catch (java.io.EOFException e) {
            throw new IOException("corrupt sensor partition checkpoint: truncated at " + bytes.length + " bytes", e);
        }
    }
}

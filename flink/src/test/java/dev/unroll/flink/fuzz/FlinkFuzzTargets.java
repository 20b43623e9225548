package dev.unroll.flink.fuzz;

import dev.unroll.flink.AttentionStateSerializer;
import dev.unroll.flink.AttentionStateSerializerSnapshot;
import dev.unroll.flink.example.ExampleInputs;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.UnrollException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What the flink module reads from outside: checkpoint and savepoint bytes (state records, the
 * state serializer's snapshot, the example source's partitions) and the example job's arguments
 * and printed lines. Flink's serializer contract lets a reader fail with an {@link IOException};
 * those become an {@link UnrollException} with their message here, so that the clean-error rules
 * judge the message.
 */
final class FlinkFuzzTargets {
    private FlinkFuzzTargets() {}

    /**
     * @param data a selector byte, then the bytes a checkpoint would hold
     * @throws Exception a clean failure
     */
    static void checkpointBytes(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        AttentionStateSerializer serializer = new AttentionStateSerializer(SensorFeaturesLayer.SPEC);
        try {
            switch (Math.floorMod(data[0], 4)) {
                case 0 -> serializer.deserialize(new DataInputDeserializer(rest));
                case 1 -> serializer.copy(new DataInputDeserializer(rest), new DataOutputSerializer(64));
                case 2 -> {
                    DataInputDeserializer in = new DataInputDeserializer(rest);
                    AttentionStateSerializerSnapshot s = new AttentionStateSerializerSnapshot();
                    s.readSnapshot(rest.length == 0 ? 1 : in.readByte(), in, FlinkFuzzTargets.class.getClassLoader());
                    s.restoreSerializer().deserialize(in);
                }
                default -> ExampleInputs.sourceCheckpoint(rest);
            }
        } catch (IOException e) {
            throw new UnrollException("I/O: " + e, e);
        }
    }

    /**
     * @param data UTF-8 text: the example job's arguments (split at spaces) or, after a selector,
     *     lines the deployment check reads
     */
    static void exampleText(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        if (data[0] % 2 == 0) {
            ExampleInputs.jobArguments(text.split(" ", -1));
        } else {
            ExampleInputs.checkLines(text.lines().toList());
        }
    }
}

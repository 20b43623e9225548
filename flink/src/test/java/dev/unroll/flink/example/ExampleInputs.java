package dev.unroll.flink.example;

import dev.unroll.runtime.UnrollException;
import java.io.IOException;
import java.util.List;

/** The example's readers of outside input, for the fuzz targets and the hostile-input cases (other packages). */
public final class ExampleInputs {
    private ExampleInputs() {}

    /**
     * @param bytes a version byte, then the enumerator's checkpoint of the source
     * @throws IOException a corrupt checkpoint
     */
    public static void sourceCheckpoint(byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            new SensorPartitionSerializer.Pending().deserialize(bytes[0], java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
        }
    }

    /** @param args the job's arguments */
    public static void jobArguments(String... args) {
        JobOptions.parse(args);
    }

    /**
     * @param lines what a TaskManager printed
     * @throws UnrollException never: a bad line is a problem the check reports
     */
    public static void checkLines(List<String> lines) {
        SensorFeaturesCheck.parse(lines);
    }
}

package dev.unroll.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import dev.unroll.runtime.UnrollException;
import org.junit.jupiter.api.Test;

/** The source's partitions: every reading once, each sensor in one partition, in time order. */
class SensorReadingsTest {
    @Test
    void everyReadingIsInExactlyOnePartitionAndEverySensorInOrder() {
        for (int[] c : new int[][] {{1000, 7, 3}, {1003, 10, 4}, {50, 100, 16}, {0, 5, 2}, {12, 3, 5}}) {
            long events = c[0];
            int sensors = c[1];
            int partitions = c[2];
            SensorReadings r = new SensorReadings(events, sensors, partitions, 4, 0);
            BitSet seen = new BitSet();
            long[] lastTime = new long[sensors];
            java.util.Arrays.fill(lastTime, -1);
            for (int p = 0; p < partitions; p++) {
                for (long k = 0; ; k++) {
                    long i = r.eventIndex(p, k);
                    if (i < 0) {
                        assertEquals(-1, r.eventIndex(p, k + 1), "a partition ends once");
                        break;
                    }
                    int sensor = (int) (i % sensors);
                    assertEquals(p, sensor % partitions, "sensor " + sensor + " in partition " + p);
                    assertTrue(i > lastTime[sensor], "sensor " + sensor + " in time order");
                    lastTime[sensor] = i;
                    assertTrue(!seen.get((int) i), "reading " + i + " twice");
                    seen.set((int) i);
                }
            }
            assertEquals(events, seen.cardinality(), events + " readings, " + sensors + " sensors, " + partitions + " partitions");
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        UnrollException e = assertThrows(UnrollException.class, () -> new SensorReadings(10, 0, 4, 32, 0));
        assertEquals("SensorReadings sensors = 0: must be at least 1", e.getMessage());
        e = assertThrows(UnrollException.class, () -> new SensorReadings(10, 4, 4, 32, Double.NaN));
        assertEquals("SensorReadings eventsPerSecond = NaN: must be finite and at least 0", e.getMessage());
    }

    @Test
    void partitionsSurviveTheirCheckpointForm() throws Exception {
        List<SensorPartition> l = List.of(new SensorPartition(3, 17), new SensorPartition(0, Long.MAX_VALUE));
        SensorPartitionSerializer.Pending s = new SensorPartitionSerializer.Pending();
        assertEquals(l, s.deserialize(1, s.serialize(l)));
        SensorPartitionSerializer.Split one = new SensorPartitionSerializer.Split();
        assertEquals(l.get(0), one.deserialize(1, one.serialize(l.get(0))));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> s.deserialize(2, s.serialize(l)));
        assertEquals("sensor partition checkpoint version 2: this job reads version 1", e.getMessage());
    }
}

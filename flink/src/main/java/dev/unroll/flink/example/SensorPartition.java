package dev.unroll.flink.example;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One partition of {@link SensorReadings}, as a Kafka partition keyed by sensor would be: the
 * sensors {@code s} with {@code s % partitions == partition}, their readings in time order, and how
 * many of them were already emitted. A partition is read by one source subtask at a time, so every
 * sensor's readings reach the keyed operator in order, at any parallelism and across rescaling.
 *
 * @param partition the partition's number, from 0
 * @param emitted readings of this partition already emitted (the position to resume at)
 */
record SensorPartition(int partition, long emitted) implements SourceSplit {
    @Override
    public String splitId() {
        return "sensors-" + partition;
    }
}

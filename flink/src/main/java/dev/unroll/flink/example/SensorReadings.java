package dev.unroll.flink.example;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The example's source: the synthetic readings {@code 0 .. events - 1} of {@link Reading#synthetic},
 * partitioned by sensor as a Kafka topic keyed by sensor is ({@link SensorPartition}). Each
 * partition is read by one subtask at a time and in its order, so every sensor's readings reach the
 * keyed layer in time order at any parallelism, after a failure and after rescaling: a job's
 * outputs do not depend on its parallelism or on its timing. Bounded; optionally rate-limited.
 */
public final class SensorReadings implements Source<Reading, SensorPartition, List<SensorPartition>> {
    private static final long serialVersionUID = 1L;

    private final long events;
    private final int sensors;
    private final int partitions;
    private final int width;
    private final double eventsPerSecond;

    /**
     * @param events readings in all, at least 0
     * @param sensors sensors, at least 1
     * @param partitions partitions, at least 1 (more than the largest parallelism, so that every
     *     source subtask has some)
     * @param width values per reading, at least 1
     * @param eventsPerSecond the rate of all subtasks together, or 0 for as fast as they go
     */
    public SensorReadings(long events, int sensors, int partitions, int width, double eventsPerSecond) {
        check(events >= 0, "events", events, "at least 0");
        check(sensors >= 1, "sensors", sensors, "at least 1");
        check(partitions >= 1, "partitions", partitions, "at least 1");
        check(width >= 1, "width", width, "at least 1");
        check(eventsPerSecond >= 0 && Double.isFinite(eventsPerSecond), "eventsPerSecond", eventsPerSecond, "finite and at least 0");
        this.events = events;
        this.sensors = sensors;
        this.partitions = partitions;
        this.width = width;
        this.eventsPerSecond = eventsPerSecond;
    }

    private static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new UnrollException("SensorReadings " + name + " = " + value + ": must be " + rule);
        }
    }

    int sensors() {
        return sensors;
    }

    int width() {
        return width;
    }

    /**
     * Partition {@code p} holds sensors {@code p, p + partitions, ...}; its readings go round by
     * round (time {@code t}), each round in sensor order, as the global sequence
     * {@code i = t * sensors + sensor} has them.
     *
     * @param partition the partition
     * @param k the partition's k-th reading, from 0
     * @return its index {@code i} in the global sequence, or -1 past the partition's last reading
     */
    long eventIndex(int partition, long k) {
        int inPartition = partition >= sensors ? 0 : (sensors - partition + partitions - 1) / partitions;
        if (inPartition == 0) {
            return -1;
        }
        long i = (k / inPartition) * sensors + partition + (k % inPartition) * partitions;
        return i < events ? i : -1;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Reading, SensorPartition> createReader(SourceReaderContext context) {
        SensorReader reader = new SensorReader(this);
        if (eventsPerSecond == 0) {
            return reader;
        }
        RateLimiterStrategy<SensorPartition> rate = RateLimiterStrategy.perSecond(eventsPerSecond);
        return new RateLimitedSourceReader<>(reader, rate.createRateLimiter(context.currentParallelism()));
    }

    @Override
    public SplitEnumerator<SensorPartition, List<SensorPartition>> createEnumerator(SplitEnumeratorContext<SensorPartition> context) {
        List<SensorPartition> all = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            all.add(new SensorPartition(p, 0));
        }
        return new SensorEnumerator(context, all);
    }

    @Override
    public SplitEnumerator<SensorPartition, List<SensorPartition>> restoreEnumerator(SplitEnumeratorContext<SensorPartition> context,
            List<SensorPartition> pending) {
        return new SensorEnumerator(context, pending);
    }

    @Override
    public SimpleVersionedSerializer<SensorPartition> getSplitSerializer() {
        return new SensorPartitionSerializer.Split();
    }

    @Override
    public SimpleVersionedSerializer<List<SensorPartition>> getEnumeratorCheckpointSerializer() {
        return new SensorPartitionSerializer.Pending();
    }
}
